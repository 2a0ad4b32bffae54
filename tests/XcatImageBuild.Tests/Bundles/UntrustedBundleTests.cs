using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Bundles from somewhere else, built byte by byte: malformed archives, corrupt or cut compression, bombs and links
/// that only lead out once the whole tree is in place. Each is imported by the real executable and must end in one
/// clear <c>Error:</c> line, a non-zero exit, no exception text, the site as it was, nothing written beside it, and
/// an empty staging directory after the next command.
/// </summary>
public sealed class UntrustedBundleTests
{
    private const string Img = "./img";

    public static TheoryData<string> MalformedCases() => [.. Malformed.Keys];

    public static TheoryData<string> CorruptCases() => [.. Corrupt.Keys];

    public static TheoryData<string> CostlyCases() => [.. Costly.Keys];

    private static readonly Dictionary<string, (Func<string, string> Write, string Expected)> Malformed = new()
    {
        ["NUL byte in a pax path"] = (dir => Gzip(dir, Image().Pax(("path", "img/a\0b"u8.ToArray())).File("img/x", "x").Finish()),
            "The pax path before './PaxHeaders/member' holds a NUL byte"),
        ["pax size that is not a number in range"] = (dir => Gzip(dir, Image().Pax(("size", Encoding.ASCII.GetBytes(new string('9', 40)))).File("img/x", "x").Finish()),
            "The pax size before './PaxHeaders/member' is not a number in range ('9999"),
        ["pax uid that is not a number"] = (dir => Gzip(dir, Image().Pax(("uid", "-1x"u8.ToArray())).File("img/x", "x").Finish()),
            "The pax uid before './PaxHeaders/member' is not a number in range ('-1x')"),
        ["pax header that claims gigabytes"] = (dir => Gzip(dir, Image().Member("./PaxHeaders/big", 'x', 3L << 30).Finish()),
            "The pax extended header before './PaxHeaders/big' claims 3221225472 bytes; at most 1048576 are read"),
        ["GNU long name that claims gigabytes"] = (dir => Gzip(dir, Image().Member("././@LongLink", 'L', 3L << 30).Finish()),
            "The GNU long name before '././@LongLink' claims 3221225472 bytes; at most 4097 are read"),
        ["GNU number that is not a number"] = (dir => Gzip(dir, Image().Member("img/x", '0', tamper: b => { "12x4567\0"u8.CopyTo(b.AsSpan(108)); RawTar.SetChecksum(b); }).Finish()),
            "The uid of 'img/x' is not a number ('12x4567\\x00')"),
        ["GNU base-256 size out of range"] = (dir => Gzip(dir, Image().Member("img/x", '0', tamper: b => { b.AsSpan(124, 12).Fill(0xFF); b[124] = 0x80; RawTar.SetChecksum(b); }).Finish()),
            "The size of 'img/x' is out of range"),
        ["GNU sparse member"] = (dir => Gzip(dir, Image().Member("img/sparse", 'S').Finish()),
            "'img/sparse' is a GNU sparse member, which is not read"),
        ["member name that is not UTF-8"] = (dir => Gzip(dir, Image().Member((byte[])[.. "img/"u8, 0xFF, 0xFE], '0', 0).Finish()),
            "The name of the member at offset 1024 is not UTF-8 ('img/\\xff\\xfe')"),
        ["unknown member type"] = (dir => Gzip(dir, Image().Member("img/odd", 'Z').Finish()),
            "'img/odd' has the unknown tar member type 'Z'"),
    };

    private static readonly Dictionary<string, (Func<string, string> Write, string Expected)> Corrupt = new()
    {
        ["gzip CRC-32 that does not match"] = (dir => Write(dir, Tamper(GzipBytes(Image().File("img/k", "kernel").Finish()), b => b[^8] ^= 1)),
            "gzip member 1 fails its CRC-32 check"),
        ["gzip length that does not match"] = (dir => Write(dir, Tamper(GzipBytes(Image().File("img/k", "kernel").Finish()), b => b[^1] ^= 1)),
            "gzip member 1 fails its length check"),
        ["gzip cut in its trailer"] = (dir => Write(dir, GzipBytes(Image().File("img/k", "kernel").Finish())[..^8]),
            "inside the trailer (CRC-32 and length) of member 1"),
        ["gzip cut in its deflate data"] = (dir => Write(dir, GzipBytes(Image().File("img/k", Noise(200_000)).Finish())[..^5000]),
            "inside the compressed data of member 1"),
        ["bytes after the last gzip member"] = (dir => Write(dir, [.. GzipBytes(Image().Finish()), .. "not a gzip member"u8]),
            "are followed by bytes that are not a gzip member"),
        ["tar header checksum that does not match"] = (dir => Gzip(dir, Image().Member("img/x", '0', tamper: b => b[0] ^= 0x20).Finish()),
            "fails its checksum"),
        ["tar cut in the padding after a member"] = (dir => Gzip(dir, Image().File("img/k", "kernel").Unfinished()[..^100]),
            "inside the padding after 'img/k'"),
        ["an xz bundle"] = (dir => Compressed(dir, "xz", Image().Finish()), "it is xz-compressed; imgimport reads gzip bundles"),
        ["a zstd bundle"] = (dir => Compressed(dir, "zstd", Image().Finish()), "it is zstd-compressed; imgimport reads gzip bundles"),
    };

    private static readonly Dictionary<string, (Func<string, string> Write, string Expected)> Costly = new()
    {
        ["a path of 400,000 segments"] = (dir => Gzip(dir, Image().Pax(("path", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("a/", 400_000)) + "f"))).File("img/x", "x").Finish()),
            "The pax path before './PaxHeaders/member' is 800001 bytes long; names are limited to 4096"),
        ["a symbolic link target of 400,000 segments"] = (dir => Gzip(dir, Image().Pax(("linkpath", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("../", 300_000))))).Symlink("img/l", "x").Finish()),
            "The pax linkpath before './PaxHeaders/member' is 900000 bytes long; names are limited to 4096"),
        ["a path deeper than the bound"] = (dir => Gzip(dir, Image().Pax(("path", Encoding.ASCII.GetBytes("img/" + string.Concat(Enumerable.Repeat("a/", 1000)) + "f"))).File("img/x", "x").Finish()),
            "is 1002 levels deep; at most 256 are allowed"),
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public void A_malformed_archive_is_refused_with_the_field_named(string name) => AssertRefused(Malformed[name].Write, Malformed[name].Expected);

    [Theory]
    [MemberData(nameof(CorruptCases))]
    public void Corrupt_or_cut_compression_and_tar_integrity_errors_are_refused_as_such(string name) => AssertRefused(Corrupt[name].Write, Corrupt[name].Expected);

    [Theory]
    [MemberData(nameof(CostlyCases))]
    public void Paths_and_link_targets_built_to_cost_quadratic_time_are_refused_at_their_bound(string name) => AssertRefused(Costly[name].Write, Costly[name].Expected);

    [Fact]
    public void A_link_that_leads_out_only_once_a_later_link_is_in_place_is_refused()
    {
        // Given a link that, while its bundle is read, names a path inside the image directory (img/sub/b does not
        // exist yet, so sub/b/.. is sub), and a later link that makes img/sub/b the directory itself
        var climb = "sub/" + string.Concat(Enumerable.Repeat("b/", 10)) + string.Concat(Enumerable.Repeat("../", 11)) + "etc";
        AssertRefused(
            dir => Gzip(dir, Image().Directory("img/sub/").Symlink("img/a", climb).Symlink("img/sub/b", ".").Finish()),
            $"the symbolic link 'img/a' leads out of its image directory (to '{climb}')");
    }

    [Fact]
    public void Links_that_loop_are_refused()
    {
        AssertRefused(dir => Gzip(dir, Image().Symlink("img/a", "b/x").Symlink("img/b", "a/y").Finish()), "is part of a loop");
    }

    [Fact]
    public void A_gzip_bomb_of_100_GB_of_zeros_is_refused_within_ten_seconds()
    {
        // Given ten members of 10 GiB of zeros each, about 100 MB of gzip (deflate's ratio on zeros is about 1030)
        var elapsed = AssertRefused(
            dir =>
            {
                var path = Path.Combine(dir, "bomb.tgz");
                using var output = new FileStream(path, FileMode.Create);
                WriteZeroBomb(output, members: 10, memberSize: 10L << 30);
                return path;
            },
            "it unpacks to more than 100 times its compressed size");

        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    [Fact]
    public void A_bundle_of_two_million_members_is_refused_within_ten_seconds()
    {
        var elapsed = AssertRefused(
            dir =>
            {
                var path = Path.Combine(dir, "many.tgz");
                using var output = new FileStream(path, FileMode.Create);
                using var gzip = new GZipStream(output, CompressionLevel.Fastest);
                gzip.Write(Image().Unfinished());
                for (var i = 0; i < 2_000_000; i++)
                {
                    gzip.Write(new RawTar().Member($"img/f{i}", '0').Unfinished());
                }

                gzip.Write(new byte[1024]);
                return path;
            },
            "it has more than 100000 members (raise the bound with --max-members)");

        Assert.True(elapsed < TimeSpan.FromSeconds(10), $"took {elapsed}");
    }

    private static TimeSpan AssertRefused(Func<string, string> write, string expected)
    {
        // Given a site that holds an image, nodes and files, and a bundle written beside it
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = write(site.Scratch);
        var before = SiteSnapshot.Take(site);
        var tables = XcatImageBuild.Testing.SiteSnapshot.Take(site);
        var beside = Beside(site);

        // When the real executable imports it
        var clock = Stopwatch.StartNew();
        var result = Xcatimg(site, "imgimport", bundle);
        var elapsed = clock.Elapsed;

        // Then one clear error, no trace, nothing changed in the site or beside it
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.StandardError.Split('\n'), line => line.StartsWith("Error: ", StringComparison.Ordinal) && line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
        tables.AssertUnchanged(XcatImageBuild.Testing.SiteSnapshot.Take(site));
        Assert.Equal(beside, Beside(site));

        // And the next command leaves no staging behind
        Assert.Equal(0, Xcatimg(site, "tabdump", "osimage").ExitCode);
        var staging = site.Map(StagingArea.LogicalParent);
        Assert.True(!Directory.Exists(staging) || !Directory.EnumerateFileSystemEntries(staging).Any(), "staging is not empty");
        return elapsed;
    }

    private static ToolResult Xcatimg(TempSite site, params string[] args) =>
        new ProcessRunner().RunUnchecked(new ToolCommand("dotnet", [Path.Combine(AppContext.BaseDirectory, "xcatimg.dll"), "--site", site.Directory, .. args]));

    /// <summary>What lies beside the site: its scratch directory's files and any other directory named after the site.</summary>
    private static string Beside(TempSite site)
    {
        var parent = Path.GetDirectoryName(site.Directory)!;
        var name = Path.GetFileName(site.Directory);
        var entries = Directory.EnumerateFileSystemEntries(parent, name + "*")
            .Concat(Directory.EnumerateFileSystemEntries(site.Scratch, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .Select(e => $"{e} {(File.Exists(e) ? new FileInfo(e).Length : -1)}");
        return string.Join('\n', entries);
    }

    /// <summary>The start every archive shares: the bundle root and the image directory.</summary>
    private static RawTar Image() => new RawTar().Directory("./").Directory($"{Img}/");

    private static string Gzip(string dir, byte[] tar) => Write(dir, GzipBytes(tar));

    private static byte[] GzipBytes(byte[] tar) => TestBundle.Gzip(tar);

    private static string Write(string dir, byte[] bytes)
    {
        var path = Path.Combine(dir, "bundle.tgz");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Compressed(string dir, string tool, byte[] tar)
    {
        var plain = Path.Combine(dir, "bundle.tar");
        File.WriteAllBytes(plain, tar);
        new ProcessRunner().Run(new ToolCommand(tool, ["-q", plain]));
        var path = Path.Combine(dir, "bundle.tgz");
        File.Move(plain + (tool == "xz" ? ".xz" : ".zst"), path);
        File.Delete(plain);
        return path;
    }

    private static byte[] Tamper(byte[] bytes, Action<byte[]> change)
    {
        change(bytes);
        return bytes;
    }

    private static string Noise(int length)
    {
        var random = new Random(7);
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)r.Next('!', '~');
            }
        });
    }

    /// <summary>
    /// A valid gzip of tar members full of zeros, written without compressing them: one sync-flushed deflate segment
    /// for 1 MiB of zeros is repeated (it only refers back to zeros), and the CRC-32 is combined, not computed.
    /// </summary>
    private static void WriteZeroBomb(Stream output, int members, long memberSize)
    {
        const int Chunk = 1 << 20;
        var zeros = Deflated(new byte[Chunk]);
        var zerosCrc = Crc32.HashToUInt32(new byte[Chunk]);
        output.Write([0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 3]);
        uint crc = 0;
        long total = 0;
        for (var m = 0; m < members; m++)
        {
            var header = new RawTar().Member($"img/zeros{m}", '0', memberSize).Unfinished();
            output.Write(Deflated(header));
            crc = Crc32Combine.Combine(crc, Crc32.HashToUInt32(header), header.Length);
            for (long written = 0; written < memberSize; written += Chunk)
            {
                output.Write(zeros);
                crc = Crc32Combine.Combine(crc, zerosCrc, Chunk);
            }

            total += header.Length + memberSize;
        }

        output.Write(Deflated(new byte[1024]));
        crc = Crc32Combine.Combine(crc, Crc32.HashToUInt32(new byte[1024]), 1024);
        total += 1024;

        // The final block: fixed Huffman, just the end-of-block code.
        output.Write([0x03, 0x00]);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)total);
        output.Write(trailer);
    }

    private static byte[] Deflated(byte[] data)
    {
        using var output = new MemoryStream();
        using var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true);
        deflate.Write(data);
        deflate.Flush();
        return output.ToArray();
    }
}
