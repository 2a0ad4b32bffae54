using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// dnf and zypper build from the local repositories. The test packages hold no kernel, so the build stops at the
/// kernel step with xCAT's message after every package step and the postinstall ran.
/// </summary>
public sealed class RpmGenimageTests
{
    [Theory]
    [InlineData("rocky9.4")]
    [InlineData("sles15.5")]
    public void Both_pkglist_passes_and_the_other_packages_are_installed_and_the_removal_applied(string osvers)
    {
        // Given an RPM image over the local repositories
        using var site = new TempSite();
        var name = RpmImage.Define(site, osvers);

        // When genimage builds it
        var result = site.Run("genimage", name);

        // Then every package step and the postinstall ran, and the build stopped at the missing kernel
        var root = site.Map($"/install/netboot/{osvers}/x86_64/compute/rootimg");
        Assert.Equal(["xcatimg-test-base", "xcatimg-test-extra", "xcatimg-test-tool"], RpmImage.InstalledPackages(root));
        Assert.True(File.Exists(Path.Combine(root, "usr/share/xcatimg-test/tool")));
        Assert.False(File.Exists(Path.Combine(root, "usr/share/xcatimg-test/unwanted")), "--xcatimg-test-unwanted removes it after its pass");
        Assert.Equal($"{osvers} x86_64 compute {name}\n", File.ReadAllText(Path.Combine(root, "etc/xcatimg-postinstall")));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error: genimage kernel failed: couldn't find the kernel file matched", result.Error, StringComparison.Ordinal);
        Assert.Empty(ImageRows.MountsUnder(site));
    }

    [Fact]
    public void Dnf_keeps_its_cache_in_the_site_and_the_rpm_database_where_rpm_systems_expect_it()
    {
        // Given a dnf image over the local repositories
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4");

        // When genimage builds it
        site.Run("genimage", name);

        // Then the repository metadata is cached in the site (file repositories are read in place), nothing of the
        // cache is in the root, and the database is /var/lib/rpm
        var root = site.Map("/install/netboot/rocky9.4/x86_64/compute/rootimg");
        Assert.NotEmpty(Directory.GetFiles(site.Map("/var/cache/xcatimg/dnf/rocky9.4-x86_64"), "repomd.xml", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(root, "var/cache/dnf")) && Directory.EnumerateFiles(Path.Combine(root, "var/cache/dnf"), "*", SearchOption.AllDirectories).Any());
        Assert.True(File.Exists(Path.Combine(root, "var/lib/rpm/rpmdb.sqlite")));
        Assert.False(Directory.Exists(Path.Combine(root, "root/.rpmdb")));
        Assert.False(Directory.Exists(Path.Combine(root, site.Directory.TrimStart('/'))), "no copy of the host cache path inside the root");
    }
}
