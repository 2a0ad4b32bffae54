using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Nodeset;

/// <summary>
/// rmimage refuses a root image with something mounted below it (as root, with a real bind mount): the accident of
/// xCAT #1936, where a bind mount of /install left by an interrupted postinstall made rmimage delete all of /install.
/// </summary>
public sealed class RmimageMountTests : IDisposable
{
    private const string Image = "debian12-x86_64-netboot-compute";
    private const string Directory = "/install/netboot/debian12/x86_64/compute";

    private readonly TempSite _site = new();
    private readonly ProcessRunner _runner = new();
    private readonly string _mountPoint;

    public RmimageMountTests()
    {
        _site.Run("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "provmethod=netboot", "osvers=debian12", "osarch=x86_64", "profile=compute");
        _site.WriteFile($"{Directory}/rootimg/etc/hostname", "node\n");
        _site.WriteFile($"{Directory}/kernel", "kernel");
        _site.WriteFile($"{Directory}/rootimg.cpio.gz", "packed");
        _site.WriteFile("/install/postscripts/syslog", "#!/bin/sh\n");
        _mountPoint = _site.Map($"{Directory}/rootimg/install");
        System.IO.Directory.CreateDirectory(_mountPoint);
    }

    public void Dispose()
    {
        _runner.RunUnchecked(new ToolCommand("umount", [_mountPoint]));
        _site.Dispose();
    }

    [Fact]
    public void Rmimage_refuses_a_root_with_a_bind_mount_below_it_and_removes_nothing()
    {
        // Given the site's /install bind-mounted inside the image's root, as a killed postinstall may leave it
        _runner.Run(new ToolCommand("mount", ["--bind", _site.Map("/install"), _mountPoint]));

        // When rmimage runs
        var result = _site.Run("rmimage", Image);

        // Then it refuses, naming the mount, and the root, the image files and /install behind the mount are all there
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"{_mountPoint} is still mounted under its rootimg. Nothing was removed.", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_site.Map($"{Directory}/rootimg/etc/hostname")));
        Assert.True(File.Exists(_site.Map($"{Directory}/kernel")));
        Assert.True(File.Exists(_site.Map($"{Directory}/rootimg.cpio.gz")));
        Assert.True(File.Exists(_site.Map("/install/postscripts/syslog")));
        Assert.Contains(_mountPoint, File.ReadAllText("/proc/self/mountinfo"), StringComparison.Ordinal);
    }

    [Fact]
    public void Rmimage_removes_the_root_once_the_mount_is_gone()
    {
        // Given the bind mount was there and has been unmounted
        _runner.Run(new ToolCommand("mount", ["--bind", _site.Map("/install"), _mountPoint]));
        Assert.NotEqual(0, _site.Run("rmimage", Image).ExitCode);
        _runner.Run(new ToolCommand("umount", [_mountPoint]));

        // When rmimage runs again
        var result = _site.Run("rmimage", Image);

        // Then the root is removed and /install is intact
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(System.IO.Directory.Exists(_site.Map($"{Directory}/rootimg")));
        Assert.True(File.Exists(_site.Map("/install/postscripts/syslog")));
    }
}
