using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.IntegrationTests.Bundles;

/// <summary>A lock taken on a full disk says the disk is full, naming where, rather than that someone holds it.</summary>
public sealed class SiteLockDiskFullTests : IDisposable
{
    private readonly string _disk = Directory.CreateTempSubdirectory("xcatimg-lock-tmpfs-").FullName;
    private readonly ProcessRunner _runner = new();

    public SiteLockDiskFullTests() => _runner.Run(new ToolCommand("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", _disk]));

    public void Dispose()
    {
        _runner.RunUnchecked(new ToolCommand("umount", [_disk]));
        Directory.Delete(_disk, recursive: true);
    }

    [Fact]
    public void Every_lock_taken_on_a_full_disk_names_the_full_disk()
    {
        // Given a site on a disk with no space left
        var site = XcatSite.OpenOrCreate(Path.Combine(_disk, "site"));
        Directory.CreateDirectory(site.Map(SiteLock.LogicalDirectory));
        Fill(Path.Combine(_disk, "filler"));

        // When an import, a commit and an image operation each take their lock, then each says the disk is full
        foreach (var take in new Func<SiteLock>[]
        {
            () => SiteLock.ForImport(site, "rhels8.5.0-x86_64-netboot-compute"),
            () => SiteLock.ForCommit(site, TimeSpan.Zero),
            () => SiteLock.ForImageDirectory(site, "/install/netboot/rhels8.5.0/x86_64/compute"),
        })
        {
            var e = Assert.Throws<XcatException>(() => take().Dispose());
            Assert.Contains($"the disk holding {site.Map(SiteLock.LogicalDirectory)} is full", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("running", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("committing", e.Message, StringComparison.Ordinal);
        }
    }

    private static void Fill(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true)
            {
                stream.Write(chunk);
                stream.Flush();
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }
}
