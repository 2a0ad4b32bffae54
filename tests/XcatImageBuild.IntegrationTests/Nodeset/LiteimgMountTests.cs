using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Nodeset;

/// <summary>
/// liteimg refuses a root with something mounted below it (as root, with a real bind mount): moving a litefile entry
/// to /.default through a bind mount of /install would move the management node's files.
/// </summary>
public sealed class LiteimgMountTests : IDisposable
{
    private const string Image = "rhels9.4-x86_64-statelite-compute";
    private const string Directory = "/install/netboot/rhels9.4/x86_64/compute";

    private readonly TempSite _site = new();
    private readonly ProcessRunner _runner = new();
    private readonly string _mountPoint;

    public LiteimgMountTests()
    {
        _site.Run("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=statelite", "osvers=rhels9.4", "osarch=x86_64", "profile=compute");
        _site.WriteFile($"{Directory}/rootimg/etc/hostname", "node\n");
        _site.WriteFile("/install/postscripts/syslog", "#!/bin/sh\n");
        _site.Run("chtab", $"image={Image},file=/install/postscripts/", "litefile.options=link");
        _mountPoint = _site.Map($"{Directory}/rootimg/install");
        System.IO.Directory.CreateDirectory(_mountPoint);
    }

    public void Dispose()
    {
        _runner.RunUnchecked(new ToolCommand("umount", [_mountPoint]));
        _site.Dispose();
    }

    [Fact]
    public void Liteimg_refuses_a_root_with_a_bind_mount_below_it_and_changes_nothing()
    {
        // Given the site's /install bind-mounted inside the image's root, and an entry below it
        _runner.Run(new ToolCommand("mount", ["--bind", _site.Map("/install"), _mountPoint]));

        // When liteimg runs
        var result = _site.Run("liteimg", Image);

        // Then it refuses, naming the mount, and neither the root nor /install behind the mount has changed
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: {_mountPoint} is still mounted under {Directory}/rootimg; liteimg changes nothing", result.Error, StringComparison.Ordinal);
        Assert.False(System.IO.Directory.Exists(_site.Map($"{Directory}/rootimg/.statelite")));
        Assert.False(System.IO.Directory.Exists(_site.Map($"{Directory}/rootimg/xcatpost")));
        Assert.Null(new DirectoryInfo(_site.Map("/install/postscripts")).LinkTarget);
        Assert.True(File.Exists(_site.Map("/install/postscripts/syslog")));
    }
}
