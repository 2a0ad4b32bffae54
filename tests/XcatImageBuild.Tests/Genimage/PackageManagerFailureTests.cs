using XcatImageBuild.Genimage;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Genimage;

/// <summary>
/// What genimage makes of a package manager that fails: one error naming the tool, its exit code and the last lines it
/// printed, and nothing left mounted in the image. The tools are played by a <see cref="FakeProcessRunner"/>.
/// </summary>
public sealed class PackageManagerFailureTests : IDisposable
{
    private readonly TempSite _site = new();

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("rocky9.4", "dnf", 1, "Error: Unable to find a match: no-such-package", true)]
    [InlineData("sles15.5", "zypper", 104, "No provider of 'no-such-package' found.", true)]
    [InlineData("debian12", "mmdebstrap", 2, "E: mmdebstrap failed to run", false)]
    public void A_failing_bootstrap_is_one_error_naming_the_tool_its_exit_code_and_last_lines_and_leaves_no_mounts(
        string osvers, string tool, int exitCode, string lastLine, bool mountsItself)
    {
        // Given: an image whose package manager exits non-zero after printing a few lines
        var name = DefineImage(osvers);
        var runner = new FakeProcessRunner().Given(tool, exitCode, $"Reading the repositories...\nResolving dependencies...\n{lastLine}\n");

        // When
        var error = Assert.Throws<XcatException>(() => new GenimageStage(_site.Site, runner, new CollectingProgress()).Run(new GenimageOptions(name)));

        // Then: the step, the tool, its exit code and the last lines, once; and whatever was mounted is unmounted
        Assert.StartsWith($"genimage bootstrap failed: {tool} failed with exit code {exitCode}: {tool} ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith($"\n  Resolving dependencies...\n  {lastLine}", error.Message, StringComparison.Ordinal);
        Assert.Single(runner.CommandsOf(tool));
        Assert.Equal(mountsItself, runner.CommandsOf("mount").Count > 0);
        Assert.Empty(runner.MountPoints);
    }

    [Fact]
    public void Apt_get_failing_inside_an_existing_root_unmounts_the_kernel_file_systems_and_the_package_cache()
    {
        // Given: a Debian root that exists already, and apt-get inside it that cannot find a package
        var name = DefineImage("debian12");
        _site.WriteFile("/install/netboot/debian12/x86_64/compute/rootimg/var/lib/dpkg/status", string.Empty);
        var runner = new FakeProcessRunner().Given("apt-get", 100, "E: Unable to locate package no-such-package\n");

        // When
        var error = Assert.Throws<XcatException>(() => new GenimageStage(_site.Site, runner, new CollectingProgress()).Run(new GenimageOptions(name)));

        // Then: /proc, /sys, /dev and the cache were mounted for apt-get and are all unmounted again
        Assert.Contains("chroot failed with exit code 100: chroot ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("\n  E: Unable to locate package no-such-package", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, runner.CommandsOf("mount").Count);
        Assert.Empty(runner.MountPoints);
    }

    [Fact]
    public void A_missing_package_manager_is_named_with_its_debian_package_before_anything_runs()
    {
        var name = DefineImage("sles15.5");
        var runner = new FakeProcessRunner().WithoutTool("zypper");

        var error = Assert.Throws<XcatException>(() => new GenimageStage(_site.Site, runner, new CollectingProgress()).Run(new GenimageOptions(name)));

        Assert.Equal("genimage check tools failed: Command zypper does not exist, please make sure it is installed.", error.Message);
        Assert.Equal("Install the Debian package(s): zypper.", error.Hint);
        Assert.Empty(runner.Commands);
    }

    // A netboot image with a one-package pkglist; RPM images get a local repository, Debian ones a mirror and suite.
    private string DefineImage(string osvers)
    {
        var name = $"{osvers}-x86_64-netboot-compute";
        _site.WriteFile("/lists/compute.pkglist", "bash\n");
        string pkgdir;
        if (osvers.StartsWith("debian", StringComparison.Ordinal))
        {
            pkgdir = "http://deb.debian.org/debian bookworm main";
        }
        else
        {
            pkgdir = $"/install/{osvers}/x86_64";
            _site.WriteFile($"{pkgdir}/repodata/repomd.xml", "<repomd/>\n");
        }

        _site.SetRows(session =>
        {
            session.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["provmethod"] = "netboot",
                ["osvers"] = osvers,
                ["osarch"] = "x86_64",
            });
            session.Set(XcatSchema.LinuxImage, [name], new Dictionary<string, string?>
            {
                ["pkglist"] = "/lists/compute.pkglist",
                ["pkgdir"] = pkgdir,
                ["rootimgdir"] = $"/install/netboot/{osvers}/x86_64/compute",
            });
        });
        return name;
    }
}
