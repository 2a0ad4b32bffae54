using XcatImageBuild.Cli;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>A failed genimage says which step failed and why, and leaves nothing mounted.</summary>
public sealed class GenimageFailureTests
{
    [Fact]
    public void An_image_without_a_pkglist_is_refused_with_xcats_message()
    {
        // Given an image whose linuximage row has no pkglist
        using var site = new TempSite();
        ImageRows.Define(site, "rocky9.4-x86_64-netboot-compute", "rocky9.4", "netboot", new Dictionary<string, string?> { ["exlist"] = "/x" });

        // When genimage runs
        var result = site.Run("genimage", "rocky9.4-x86_64-netboot-compute");

        // Then it fails with xCAT's text and builds nothing
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: A .pkglist file must be specified for image 'rocky9.4-x86_64-netboot-compute' in the linuximage table.\n", result.Error);
        Assert.False(Directory.Exists(site.Map("/install/netboot")));
    }

    [Fact]
    public void An_unknown_package_fails_the_install_step_with_the_package_managers_words()
    {
        // Given a dnf image whose pkglist names a package no repository has
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4", pkglist: "xcatimg-test-base\nno-such-package\n");

        // When genimage runs
        var result = site.Run("genimage", name);

        // Then the error names the step, dnf and the package, and nothing stays mounted
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("Error: genimage bootstrap failed: dnf failed with exit code 1", ErrorFrom(result.Error), StringComparison.Ordinal);
        Assert.Contains("no-such-package", result.Error, StringComparison.Ordinal);
        Assert.Empty(ImageRows.MountsUnder(site));
    }

    [Fact]
    public void An_unknown_Debian_package_fails_mmdebstrap_and_its_cache_mount_is_undone()
    {
        // Given a Debian image whose first pass names a package the mirror does not have
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/debian/compute.pkglist", "no-such-package-xcatimg\n");
        ImageRows.Define(site, "debian12-x86_64-netboot-compute", "debian12", "netboot", new Dictionary<string, string?>
        {
            ["pkglist"] = "/install/custom/netboot/debian/compute.pkglist",
        });

        // When genimage runs
        var result = site.Run("genimage", "debian12-x86_64-netboot-compute");

        // Then mmdebstrap's failure is reported with the step, and the cache bind mount is gone
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("Error: genimage bootstrap failed: mmdebstrap failed with exit code", ErrorFrom(result.Error), StringComparison.Ordinal);
        Assert.Contains("no-such-package-xcatimg", result.Error, StringComparison.Ordinal);
        Assert.Empty(ImageRows.MountsUnder(site));
    }

    [Fact]
    public void A_postinstall_that_exits_1_fails_the_postinstall_step_and_leaves_nothing_mounted()
    {
        // Given a dnf image whose postinstall script exits 1
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4", postinstall: "echo the script says no >&2\nexit 1");

        // When genimage runs
        var result = site.Run("genimage", name);

        // Then xCAT's message names the script, the script's own words follow, and no row is written back
        Assert.NotEqual(0, result.ExitCode);
        Assert.StartsWith("Error: genimage postinstall failed: postinstall script /install/custom/netboot/rh/compute.postinstall failed", ErrorFrom(result.Error), StringComparison.Ordinal);
        Assert.Contains("the script says no", result.Error, StringComparison.Ordinal);
        Assert.Empty(ImageRows.MountsUnder(site));
        Assert.Null(site.Site.Database.Find(XcatSchema.LinuxImage, name)!["rootimgdir"]);
    }

    [Fact]
    public void A_missing_package_manager_is_named_before_anything_is_built()
    {
        // Given a dnf image, and xcatimg run as its own process with a PATH where no tool can be found
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4");
        var command = new ToolCommand(Environment.ProcessPath!, [typeof(XcatCli).Assembly.Location, "--site", site.Directory, "genimage", name])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = "/nonexistent" },
        };

        // When genimage runs
        var result = new ProcessRunner().RunUnchecked(command);

        // Then the check-tools step names every missing tool and its package, and no root was started
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: genimage check tools failed: Command dnf does not exist, please make sure it is installed.", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Hint: Install the Debian package(s): dnf rpm mount coreutils.", result.StandardError, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install/netboot")));
    }

    // Standard error holds the steps' progress lines first (genimage: bootstrap, ...), then the error.
    private static string ErrorFrom(string standardError)
    {
        var at = standardError.IndexOf("Error: ", StringComparison.Ordinal);
        return at < 0 ? standardError : standardError[at..];
    }
}
