using XcatImageBuild.Cli;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Packimage;

public sealed class PackimageToolsTests
{
    [Fact]
    public void Squashfs_packs_rootimg_sfs_that_unsquashfs_lists_without_a_compress_line()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();

        var result = image.Pack("-m", "squashfs");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("archive method:squashfs", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("compress method:", result.Output, StringComparison.Ordinal);
        var sfs = image.Output("rootimg.sfs");
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(sfs));
        var listing = new ProcessRunner().Run(new ToolCommand("unsquashfs", ["-l", sfs])).StandardOutput;
        Assert.Contains("squashfs-root/usr/bin/tool", listing, StringComparison.Ordinal);
        Assert.DoesNotContain("squashfs-root/.statelite", listing, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(site.Map("/tmp"), "packimage.*"));
    }

    [Fact]
    public void A_missing_compressor_is_named_and_the_previous_archive_is_untouched()
    {
        // Given an image packed once
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        Assert.Equal(0, image.Pack().ExitCode);
        var before = File.ReadAllBytes(image.Output("rootimg.cpio.gz"));

        // When packimage -c zstd runs where zstd is not on PATH
        var emptyPath = Path.Combine(site.Directory, "empty-bin");
        Directory.CreateDirectory(emptyPath);
        var dotnet = Environment.ProcessPath ?? "dotnet";
        var result = new ProcessRunner().RunUnchecked(new ToolCommand(
            dotnet,
            [typeof(XcatCli).Assembly.Location, "--site", site.Directory, "packimage", "-c", "zstd", NetbootImage.Name])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = emptyPath },
        });

        // Then xCAT's message, exit code 1, and the old archive as it was
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Command zstd does not exist, please make sure it is installed.", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image.Output("rootimg.cpio.gz")));
        Assert.False(File.Exists(image.Output("rootimg.cpio.zst")));
    }
}
