using XcatImageBuild.Media;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Media;

public class DefaultFileLookupTests
{
    [Fact]
    public void The_search_list_walks_back_through_the_minor_releases_as_xcat_s()
    {
        Assert.Equal(
            ["rhels8.5.0", "rhels8.5", "rhels8.4", "rhels8.3", "rhels8.2", "rhels8.1", "rhels8.0", "rhels8"],
            DefaultFileLookup.SearchList("rhels8.5.0"));
    }

    [Fact]
    public void Candidates_go_from_the_most_specific_name_to_the_profile_alone()
    {
        Assert.Equal(
            [
                "compute.rhels9.2.x86_64.pkglist", "compute.rhels9.2.pkglist", "compute.rhels9.x86_64.pkglist", "compute.rhels9.pkglist",
                "compute.rhels9.1.x86_64.pkglist", "compute.rhels9.1.pkglist", "compute.rhels9.0.x86_64.pkglist", "compute.rhels9.0.pkglist",
                "compute.x86_64.pkglist", "compute.pkglist",
            ],
            DefaultFileLookup.Candidates("compute", "rhels9.2", "x86_64", "pkglist"));
    }

    [Fact]
    public void The_custom_directory_wins_over_the_shipped_one_even_with_a_less_specific_name()
    {
        using var site = new TempSite();
        site.WriteFile("/opt/xcat/share/xcat/netboot/rh/compute.rhels9.x86_64.pkglist", "bash\n");
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "bash\n");

        var found = DefaultFileLookup.Find(site.Site, ["/install/custom/netboot/rh", "/opt/xcat/share/xcat/netboot/rh"], "compute", "rhels9.2", "x86_64", "pkglist");

        Assert.Equal("/install/custom/netboot/rh/compute.pkglist", found);
    }

    [Fact]
    public void A_postinstall_script_counts_only_when_it_is_executable()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.rhels9.postinstall", "#!/bin/sh\n");
        var shipped = site.WriteFile("/opt/xcat/share/xcat/netboot/rh/compute.postinstall", "#!/bin/sh\n");
        File.SetUnixFileMode(shipped, (UnixFileMode)0b111_101_101);

        var found = DefaultFileLookup.Find(site.Site, ["/install/custom/netboot/rh", "/opt/xcat/share/xcat/netboot/rh"], "compute", "rhels9.2", "x86_64", "postinstall");

        Assert.Equal("/opt/xcat/share/xcat/netboot/rh/compute.postinstall", found);
    }
}
