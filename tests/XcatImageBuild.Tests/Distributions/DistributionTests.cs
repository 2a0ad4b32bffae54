using XcatImageBuild.Distributions;
using XcatImageBuild.Genimage.PackageManagers;

namespace XcatImageBuild.Tests.Distributions;

/// <summary>The distribution table every stage asks: family, platform directory, package manager, codename, media names.</summary>
public sealed class DistributionTests
{
    [Theory]
    [InlineData("rhels8.5.0", "rh", DistributionFamily.RedHat, "dnf")]
    [InlineData("rhelhpc9.2", "rh", DistributionFamily.RedHat, "dnf")]
    [InlineData("centos7.9", "centos", DistributionFamily.RedHat, "dnf")]
    [InlineData("centos-stream9", "centos", DistributionFamily.RedHat, "dnf")]
    [InlineData("rocky9.4", "rocky", DistributionFamily.RedHat, "dnf")]
    [InlineData("alma9", "alma", DistributionFamily.RedHat, "dnf")]
    [InlineData("ol8.9", "ol", DistributionFamily.RedHat, "dnf")]
    [InlineData("fedora39", "fedora", DistributionFamily.RedHat, "dnf")]
    [InlineData("SL7", "SL", DistributionFamily.RedHat, "dnf")]
    [InlineData("sles15.4", "sles", DistributionFamily.Suse, "zypper")]
    [InlineData("sle15.5", "sles", DistributionFamily.Suse, "zypper")]
    [InlineData("leap15.5", "sles", DistributionFamily.Suse, "zypper")]
    [InlineData("suse11.4", "suse", DistributionFamily.Suse, "zypper")]
    [InlineData("debian12", "debian", DistributionFamily.Debian, "apt")]
    [InlineData("ubuntu24.04", "ubuntu", DistributionFamily.Debian, "apt")]
    [InlineData("win2019", "windows", DistributionFamily.Windows, null)]
    [InlineData("esxi7.0", "esxi", DistributionFamily.Esx, null)]
    public void An_osvers_finds_its_row_by_xcats_directory_name_rule(string osvers, string platform, DistributionFamily family, string? packageManager)
    {
        // When the table is asked for the osvers
        var distribution = Distribution.Of(osvers);

        // Then it gives the platform directory xCAT's lookup ends at, the family, and the backend genimage uses
        Assert.NotNull(distribution);
        Assert.Equal((platform, family, packageManager), (distribution.Platform, distribution.Family, distribution.PackageManager));
        Assert.Equal(packageManager, PackageManagerCatalog.Find(osvers)?.Name);
    }

    [Theory]
    [InlineData("opensuse-leap15.5")]
    [InlineData("leap16.0")]
    [InlineData("plan9")]
    [InlineData("")]
    public void A_name_xcat_does_not_give_a_distribution_has_no_row_and_no_backend(string osvers)
    {
        // xCAT names openSUSE Leap 15 media leap15.N, and serves Leap 16 with no sles files (SvrUtils.pm)
        Assert.Null(Distribution.Of(osvers));
        Assert.Null(PackageManagerCatalog.Find(osvers));
    }

    [Fact]
    public void The_longest_directory_name_wins()
    {
        // sles15 could be sle or sles; esxi7 could be esx or esxi: xCAT chops from the end, so the longer name is met first
        Assert.Equal("sles", Distribution.Of("sles15")!.Prefix);
        Assert.Equal("sle", Distribution.Of("sle15")!.Prefix);
        Assert.Equal("esxi", Distribution.Of("esxi7")!.Prefix);
        Assert.Equal("esx", Distribution.Of("esx4")!.Prefix);
    }

    [Fact]
    public void The_directory_names_are_osvers_losing_one_character_at_a_time_and_windows_for_win()
    {
        Assert.Equal(["rhels8.5", "rhels8.", "rhels8", "rhels", "rhel", "rhe", "rh", "r"], Distribution.DirectoryNames("rhels8.5"));
        Assert.Equal("windows", Distribution.DirectoryNames("win2019").First());
    }

    [Theory]
    [InlineData("debian12", "bookworm")]
    [InlineData("debian12.5", "bookworm")]
    [InlineData("debian13", "trixie")]
    [InlineData("ubuntu22.04", "jammy")]
    [InlineData("ubuntu24.04.1", "noble")]
    [InlineData("ubuntu26.04", "resolute")]
    [InlineData("ubuntu23.10", null)]
    [InlineData("debian1", null)]
    public void A_debian_or_ubuntu_release_has_its_codename_whatever_its_point_release(string osvers, string? codename)
    {
        Assert.Equal(codename, Distribution.Of(osvers)!.CodenameOf(osvers));
    }

    [Theory]
    [InlineData("rhels8.5.0", "rh")]
    [InlineData("centos7.9", "centos")]
    [InlineData("centos-stream9", "centos")]
    [InlineData("rocky9.2", "rocky")]
    [InlineData("alma9.4", "alma")]
    [InlineData("fedora39", "fedora")]
    [InlineData("sles15.4", "sles")]
    [InlineData("SL7", "SL")]
    [InlineData("ubuntu22.04", "ubuntu")]
    [InlineData("win2019", "windows")]
    [InlineData("debian12", "")]
    [InlineData("ol8.7", "")]
    [InlineData("leap15.5", "")]
    [InlineData("sle15.5", "")]
    public void The_platform_of_change_profile_is_xcats_short_list(string osvers, string platform)
    {
        Assert.Equal(platform, Distribution.ProfileChangePlatformOf(osvers));
    }

    [Theory]
    [InlineData("Rocky Linux", "rocky")]
    [InlineData("Rocky", "rocky")]
    [InlineData("AlmaLinux", "alma")]
    [InlineData("CentOS Stream", "centos-stream")]
    [InlineData("CentOS Linux", "centos")]
    [InlineData("Oracle Linux Server", "ol")]
    [InlineData("Fedora", "fedora")]
    public void A_product_name_on_rhel_family_media_gives_the_osvers_prefix(string product, string prefix)
    {
        Assert.Equal(prefix, Distribution.NamedOnMedia(product)?.Prefix);
    }

    [Fact]
    public void Each_family_has_its_template_shipped_set_and_statelite_rule()
    {
        Assert.Equal(("kickstart.tmpl", "redhat", true), Facts("rocky9"));
        Assert.Equal(("autoyast.tmpl", "suse", true), Facts("sle15.5"));
        Assert.Equal(("preseed.tmpl", "debian", false), Facts("ubuntu24.04"));
        Assert.Equal((null, null, false), Facts("win2019"));

        static (string?, string?, bool) Facts(string osvers) =>
            Distribution.Of(osvers) is { } d ? (d.InstallTemplate, d.ShippedSet, d.HasStatelite) : throw new InvalidOperationException(osvers);
    }

    [Fact]
    public void Every_backend_the_table_names_is_registered()
    {
        var names = Distribution.All.Select(d => d.PackageManager).OfType<string>().Distinct();
        Assert.All(names, name => Assert.Contains(PackageManagerCatalog.All, m => m.Name == name));
    }
}
