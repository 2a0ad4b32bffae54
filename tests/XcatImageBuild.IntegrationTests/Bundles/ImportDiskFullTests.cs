using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;
using Xunit.Abstractions;

namespace XcatImageBuild.IntegrationTests.Bundles;

/// <summary>
/// Imports a bundle into a site on a small tmpfs that is full up to a few bytes short of every amount the import
/// needs, page by page: whatever step runs out of space — unpacking, the journal's saves, the file moves, the rows'
/// transaction — the import ends with a clean error and the site as it was, and the next command finds no journal,
/// temporary journal or staging file.
/// </summary>
public sealed class ImportDiskFullTests : IDisposable
{
    private const string Image = "rhels8.5.0-x86_64-netboot-compute";
    private const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";
    private const int Page = 4096;

    private readonly string _disk = Directory.CreateTempSubdirectory("xcatimg-import-tmpfs-").FullName;
    private readonly string _scratch = Directory.CreateTempSubdirectory("xcatimg-import-full-").FullName;
    private readonly ProcessRunner _runner = new();
    private readonly ITestOutputHelper _log;

    public ImportDiskFullTests(ITestOutputHelper log)
    {
        _log = log;
        _runner.Run(new ToolCommand("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", _disk]));
    }

    public void Dispose()
    {
        _runner.RunUnchecked(new ToolCommand("umount", [_disk]));
        Directory.Delete(_disk, recursive: true);
        Directory.Delete(_scratch, recursive: true);
    }

    [Fact]
    public void A_full_disk_at_any_step_of_an_import_ends_in_a_clean_error_and_a_site_as_it_was()
    {
        // Given a bundle of a netboot image with a directory extra (many files to move), a populated site template,
        // and the site as it is before and after an undisturbed import on the tmpfs
        var bundle = ExportBundle();
        var template = Path.Combine(_scratch, "template");
        Populate(template);
        var site = Path.Combine(_disk, "site");
        var filler = Path.Combine(_disk, "filler");
        Reset(template, site, filler);
        var before = Snapshot(site);
        var undisturbed = Testing.Cli.Run("--site", site, "imgimport", bundle);
        Assert.True(undisturbed.ExitCode == 0, undisturbed.Error);
        var after = Snapshot(site);

        var failures = new SortedSet<string>(StringComparer.Ordinal);
        var succeeded = 0;
        for (long free = 0; succeeded < 4; free += Page)
        {
            // When the disk has only that much space left while the bundle is imported, and the next command runs
            Reset(template, site, filler);
            Fill(filler, free);
            var result = Testing.Cli.Run("--site", site, "imgimport", bundle);
            File.Delete(filler);
            var next = Testing.Cli.Run("--site", site, "tabdump", "site");

            // Then it either imported, or failed with an Error: line and no exception, leaving the site as it was
            Assert.True(next.ExitCode == 0, next.Error);
            var state = Snapshot(site);
            if (result.ExitCode == 0)
            {
                Assert.True(state == after, $"with {free} bytes free the import succeeded but the site is not as an undisturbed import leaves it: {Difference(after, state)}");
                succeeded++;
            }
            else
            {
                var error = result.Error.Split('\n').FirstOrDefault(l => l.StartsWith("Error: ", StringComparison.Ordinal));
                Assert.True(error is not null, $"with {free} bytes free: {result.Error}");
                Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
                Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
                Assert.True(state == before, $"with {free} bytes free the import failed ({error}) and the site is not as it was: {Difference(before, state)}");
                failures.Add(Shape(error));
            }

            Assert.False(File.Exists(Path.Combine(site, "var/lib/xcatimg/import.journal")));
            Assert.False(File.Exists(Path.Combine(site, "var/lib/xcatimg/import.journal.tmp")));
            var staging = Path.Combine(site, "var/lib/xcatimg/staging");
            Assert.True(!Directory.Exists(staging) || Directory.GetFileSystemEntries(staging).Length == 0, $"with {free} bytes free, staging holds {string.Join(", ", Directory.GetFileSystemEntries(staging))}");
            Assert.True(free < 64L << 20, "the import never succeeded");
        }

        // And the space ran out in unpacking and in the commit, each giving its own message
        foreach (var failure in failures)
        {
            _log.WriteLine(failure);
        }

        Assert.Contains(failures, f => f.StartsWith("Error: Failed to extract bundle", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Error: Failed to put the files of", StringComparison.Ordinal));
    }

    private string ExportBundle()
    {
        var source = Path.Combine(_scratch, "source");
        var site = XcatSite.OpenOrCreate(source);
        Define(site);
        Write(site, RootImgDir + "/kernel", RandomBytes(64 * 1024, 1));
        Write(site, RootImgDir + "/initrd-stateless.gz", RandomBytes(96 * 1024, 2));
        Write(site, RootImgDir + "/rootimg.cpio.gz", RandomBytes(128 * 1024, 3));
        Write(site, "/install/custom/netboot/rh/compute.pkglist", Encoding.UTF8.GetBytes("bash\n"));
        for (var i = 0; i < 24; i++)
        {
            Write(site, $"/install/postscripts/tree/script{i:D2}", RandomBytes(3000, 10 + i));
        }

        var output = Directory.CreateDirectory(Path.Combine(_scratch, "out")).FullName;
        return new Exporter(site, new CollectingProgress()).Run(new ExportOptions
        {
            ImageName = Image,
            WorkingDirectory = output,
            Extras = ["/install/postscripts/tree"],
            SourceDateEpoch = 1_700_000_000,
        }).BundlePath;
    }

    private static void Populate(string directory)
    {
        var site = XcatSite.OpenOrCreate(directory);
        site.Database.Write(s =>
        {
            s.Set(XcatSchema.OsImage, ["existing-image"], new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot" });
            return 0;
        });
        Write(site, RootImgDir + "/kernel", Encoding.UTF8.GetBytes("the kernel already here\n"));
        Write(site, "/install/postscripts/tree/script00", Encoding.UTF8.GetBytes("old\n"));
    }

    private static void Define(XcatSite site) => site.Database.Write(s =>
    {
        s.Set(XcatSchema.OsImage, [Image], new Dictionary<string, string?>
        {
            ["profile"] = "compute",
            ["imagetype"] = "linux",
            ["provmethod"] = "netboot",
            ["osvers"] = "rhels8.5.0",
            ["osarch"] = "x86_64",
        });
        s.Set(XcatSchema.LinuxImage, [Image], new Dictionary<string, string?> { ["rootimgdir"] = RootImgDir, ["pkglist"] = "/install/custom/netboot/rh/compute.pkglist" });
        return 0;
    });

    // The site is a plain directory on the tmpfs (no mounts below it), so removing it is safe.
    private void Reset(string template, string site, string filler)
    {
        if (Directory.Exists(site))
        {
            Directory.Delete(site, recursive: true);
        }

        File.Delete(filler);
        _runner.Run(new ToolCommand("cp", ["-a", template, site]));
    }

    private void Fill(string filler, long leaveFree)
    {
        var available = new DriveInfo(_disk).AvailableFreeSpace;
        Assert.True(available > leaveFree, $"the tmpfs has only {available} bytes free");
        using var stream = new FileStream(filler, FileMode.CreateNew, FileAccess.Write);
        var chunk = new byte[1 << 20];
        for (var left = available - leaveFree; left > 0; left -= chunk.Length)
        {
            stream.Write(chunk, 0, (int)Math.Min(chunk.Length, left));
        }
    }

    /// <summary>Every table an import writes, as tabdump prints it, and every file of the site with its mode and hash.</summary>
    private static string Snapshot(string root)
    {
        var text = new StringBuilder();
        foreach (var table in new[] { "osimage", "linuximage", "postscripts", "litefile" })
        {
            text.Append(Testing.Cli.Run("--site", root, "tabdump", table).Output);
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var logical = path[root.Length..];
            // The tables are compared above; /var holds the locks and the state directories, whose leftovers are checked by name.
            if (logical.StartsWith("/etc/xcat/", StringComparison.Ordinal) || logical == "/var" || logical.StartsWith("/var/", StringComparison.Ordinal))
            {
                continue;
            }

            text.Append(Directory.Exists(path)
                ? $"dir  {logical}\n"
                : $"file {logical} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}\n");
        }

        return text.ToString();
    }

    private static string Difference(string expected, string actual)
    {
        var wanted = expected.Split('\n').ToHashSet(StringComparer.Ordinal);
        var found = actual.Split('\n').ToHashSet(StringComparer.Ordinal);
        return string.Join("; ", wanted.Except(found).Select(l => "- " + l).Concat(found.Except(wanted).Select(l => "+ " + l)));
    }

    // The message without the numbers and paths that differ from one amount of space to the next.
    private static string Shape(string error) => error.Length > 120 ? error[..120] : error;

    private static void Write(XcatSite site, string logicalPath, byte[] content)
    {
        var path = site.Map(logicalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
