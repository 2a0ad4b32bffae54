using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

public sealed class StateliteExportTests : IDisposable
{
    private const long Epoch = 1_600_000_000;
    private readonly ExportFixture _fixture = new();

    [Fact]
    public void The_root_tree_unpacks_with_the_real_cpio_keeping_hard_links_and_clamping_times()
    {
        // Given a statelite image whose root holds a hard-linked pair and a file newer than SOURCE_DATE_EPOCH
        _fixture.AddStateliteImage();
        var rootimg = _fixture.Site.Map(ExportFixture.RootImgDir + "/rootimg");
        File.WriteAllText(Path.Combine(rootimg, "usr/bin/first"), "linked\n");
        new ProcessRunner().Run(new ToolCommand("ln", [Path.Combine(rootimg, "usr/bin/first"), Path.Combine(rootimg, "usr/bin/second")]));
        File.SetLastWriteTimeUtc(Path.Combine(rootimg, "etc/hostname"), DateTime.UnixEpoch.AddSeconds(Epoch + 1000));

        // When it is exported twice under SOURCE_DATE_EPOCH
        var first = Export("first");
        var second = Export("second");

        // Then both archives are the same bytes, cpio -t lists the tree as `find rootimg` names it, and cpio -idum
        // unpacks the pair as one file with two names and the newer file at the epoch
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var runner = new ProcessRunner();
        var directory = Path.GetDirectoryName(first)!;
        var listing = runner.Run(new ToolCommand("sh", ["-c", "gzip -dc rootimgtree.gz | cpio -t --quiet"]) { WorkingDirectory = directory }).StandardOutput;
        Assert.Equal(
            "rootimg\nrootimg/etc\nrootimg/etc/hostname\nrootimg/usr\nrootimg/usr/bin\nrootimg/usr/bin/first\nrootimg/usr/bin/second\nrootimg/usr/bin/tool\n",
            listing);
        runner.Run(new ToolCommand("sh", ["-c", "gzip -dc rootimgtree.gz | cpio -idum --quiet"]) { WorkingDirectory = directory });
        var unpacked = Path.Combine(directory, "rootimg");
        Assert.Equal("linked\n", File.ReadAllText(Path.Combine(unpacked, "usr/bin/second")));
        Assert.Equal(Inode(Path.Combine(unpacked, "usr/bin/first")), Inode(Path.Combine(unpacked, "usr/bin/second")));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(Epoch), File.GetLastWriteTimeUtc(Path.Combine(unpacked, "etc/hostname")));
        Assert.Equal("node\n", File.ReadAllText(Path.Combine(unpacked, "etc/hostname")));
    }

    public void Dispose() => _fixture.Dispose();

    // The archive the export staged, kept: the export runs with a staging directory of its own under the output.
    private string Export(string name)
    {
        var working = Path.Combine(_fixture.Output, name);
        Directory.CreateDirectory(working);
        var bundle = new Exporter(_fixture.Site.Site, new CollectingProgress())
            .Run(new ExportOptions { ImageName = ExportFixture.Statelite, WorkingDirectory = working, SourceDateEpoch = Epoch })
            .BundlePath;
        new ProcessRunner().Run(new ToolCommand("tar", ["-xzf", bundle, "--strip-components=2", "-C", working]));
        return Path.Combine(working, "rootimgtree.gz");
    }

    private static string Inode(string path) => new ProcessRunner().Run(new ToolCommand("stat", ["-c", "%i", path])).StandardOutput.Trim();
}
