using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Bundles;

public sealed class ExportDiskFullTests : IDisposable
{
    private const string Image = "rhels8.5.0-x86_64-netboot-compute";
    private const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";

    private readonly TempSite _site = new();
    private readonly string _smallDisk = Directory.CreateTempSubdirectory("xcatimg-tmpfs-").FullName;
    private readonly ProcessRunner _runner = new();

    public ExportDiskFullTests()
    {
        // A 1 MiB file system that the bundle cannot fit on.
        _runner.Run(new ToolCommand("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", _smallDisk]));
    }

    public void Dispose()
    {
        _runner.RunUnchecked(new ToolCommand("umount", [_smallDisk]));
        Directory.Delete(_smallDisk, recursive: true);
        _site.Dispose();
    }

    [Fact]
    public void An_export_onto_a_full_disk_fails_with_xcats_message_and_leaves_no_partial_bundle()
    {
        // Given a netboot image whose compressed root image is larger than the destination's free space
        _site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.OsImage, [Image], new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["provmethod"] = "netboot",
                ["osvers"] = "rhels8.5.0",
                ["osarch"] = "x86_64",
            });
            s.Set(XcatSchema.LinuxImage, [Image], new Dictionary<string, string?> { ["rootimgdir"] = RootImgDir, ["pkglist"] = RootImgDir + "/p.pkglist" });
            return 0;
        });
        _site.WriteFile(RootImgDir + "/p.pkglist", "bash\n");
        _site.WriteFile(RootImgDir + "/kernel", "kernel");
        _site.WriteFile(RootImgDir + "/initrd-stateless.gz", "initrd");
        var rootimg = new byte[3 << 20];
        new Random(7).NextBytes(rootimg);
        File.WriteAllBytes(_site.Map(RootImgDir + "/rootimg.cpio.gz"), rootimg);
        var progress = new CollectingProgress();

        // When it is exported onto the small disk
        var error = Assert.Throws<XcatException>(() => new Exporter(_site.Site, progress).Run(new ExportOptions
        {
            ImageName = Image,
            WorkingDirectory = _smallDisk,
        }));

        // Then the error is xCAT's, with the system's reason, and the disk holds nothing of the bundle
        Assert.StartsWith("Failed to compress archive!  (Maybe there was no space left?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_smallDisk));
        Assert.DoesNotContain("Done!", progress.Infos);
        Assert.Empty(Directory.GetDirectories(_site.Map("/tmp")));
    }
}
