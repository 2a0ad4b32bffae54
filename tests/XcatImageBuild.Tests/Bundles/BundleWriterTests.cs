using System.Formats.Tar;
using System.IO.Compression;
using XcatImageBuild.Bundles.Format;

namespace XcatImageBuild.Tests.Bundles;

public sealed class BundleWriterTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void A_bundle_of_several_gzip_members_reads_back_with_every_byte_and_header()
    {
        // Given a compressible file larger than one chunk and an incompressible one that is stored
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line of text for deflate\n", 200_000)));
        var random = RandomBytes(3_000_000, 1);
        var output = new MemoryStream();

        // When both are written
        using (var writer = new BundleWriter(output, Time))
        {
            writer.AddDirectory("./img/");
            writer.AddFile("./img/text", new MemoryStream(text), (UnixFileMode)0b110_100_100, alreadyCompressed: false);
            writer.AddFile("./img/rootimg.cpio.gz", new MemoryStream(random), (UnixFileMode)0b110_100_100, alreadyCompressed: true);
            writer.Finish();
        }

        // Then .NET's own gzip and tar readers see the same members, contents, owners and time
        output.Position = 0;
        using var reader = new TarReader(new GZipStream(output, CompressionMode.Decompress));
        var directory = reader.GetNextEntry()!;
        Assert.Equal(("./img/", TarEntryType.Directory), (directory.Name, directory.EntryType));
        var first = reader.GetNextEntry(copyData: true)!;
        Assert.Equal("./img/text", first.Name);
        Assert.Equal(text, ReadAll(first.DataStream!));
        var second = reader.GetNextEntry(copyData: true)!;
        Assert.Equal(random, ReadAll(second.DataStream!));
        Assert.Equal((0, 0, "root", "root", Time), (second.Uid, second.Gid, ((GnuTarEntry)second).UserName, ((GnuTarEntry)second).GroupName, second.ModificationTime));
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void Already_compressed_data_is_stored_not_deflated()
    {
        // Given 4 MB of incompressible data
        var random = RandomBytes(4_000_000, 2);
        var stored = new MemoryStream();
        var deflated = new MemoryStream();

        // When it is written once flagged as compressed and once not
        Write(stored, random, alreadyCompressed: true);
        Write(deflated, random, alreadyCompressed: false);

        // Then the stored bundle is the data plus framing (stored blocks: 5 bytes per 64 KiB), while deflate
        // tried and failed to shrink it
        Assert.InRange(stored.Length, random.Length, random.Length + 2048);
        Assert.Equal(0x1f, stored.ToArray()[0]);
        Assert.Equal(0x8b, stored.ToArray()[1]);
        Assert.True(deflated.Length > random.Length * 0.99);
    }

    [Fact]
    public void A_failing_output_stream_surfaces_as_an_io_error()
    {
        var output = new FailingStream(failAfter: 1_000_000);

        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var writer = new BundleWriter(output, Time);
            writer.AddFile("./img/big", new MemoryStream(RandomBytes(5_000_000, 3)), (UnixFileMode)0b110_100_100, alreadyCompressed: true);
            writer.Finish();
        });

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
    }

    private static void Write(Stream output, byte[] data, bool alreadyCompressed)
    {
        using var writer = new BundleWriter(output, Time);
        writer.AddFile("./img/data", new MemoryStream(data), (UnixFileMode)0b110_100_100, alreadyCompressed);
        writer.Finish();
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadAll(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // A disk that fills up: writes fail once the given number of bytes is reached.
    private sealed class FailingStream(long failAfter) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Length + buffer.Length > failAfter)
            {
                throw new IOException("No space left on device");
            }

            base.Write(buffer);
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    }
}
