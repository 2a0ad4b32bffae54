using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

public sealed class LsdefTests
{
    [Fact]
    public void Lsdef_without_names_lists_images_sorted_with_two_spaces_before_the_type()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "-o", "zeta,alpha", "imagetype=linux");
        site.Run("mkdef", "-t", "osimage", "-o", "Beta", "imagetype=linux");

        var result = site.Run("lsdef", "-t", "osimage");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Beta  (osimage)\nalpha  (osimage)\nzeta  (osimage)\n", result.Output);
    }

    [Fact]
    public void Lsdef_long_and_stanza_match_the_golden_files_for_awkward_values()
    {
        // Given images whose values hold quotes, commas and spaces, an emptied attribute, an osimage comment and a
        // linuximage row under an image that is not linux
        using var site = AwkwardImages();

        // When they are listed long and as a stanza file
        var full = site.Run("lsdef", "-t", "osimage", "-l");
        var stanza = site.Run("lsdef", "-t", "osimage", "-z", "aix71,rhels8.5.0-x86_64-install-compute");

        // Then the output is xCAT's: sorted attributes, no imagename, no osimage.comments, usercomment from
        // linuximage.comments, no linuximage attributes for the AIX image, nothing for empty values
        Assert.Equal(0, full.ExitCode);
        Assert.Equal(0, stanza.ExitCode);
        Golden.Check("Definitions/lsdef-osimage-long.txt", full.Output);
        Golden.Check("Definitions/lsdef-osimage-stanza.txt", stanza.Output);
    }

    [Fact]
    public void Tabdump_of_the_same_images_matches_the_golden_files()
    {
        using var site = AwkwardImages();

        Golden.Check("Tables/tabdump-osimage.txt", site.Run("tabdump", "osimage").Output);
        Golden.Check("Tables/tabdump-linuximage.txt", site.Run("tabdump", "linuximage").Output);
    }

    [Fact]
    public void Lsdef_of_a_missing_osimage_says_so_and_fails()
    {
        using var site = new TempSite();

        var result = site.Run("lsdef", "-t", "osimage", "-o", "ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Could not find an object named 'ghost' of type 'osimage'.\n", result.Error);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Lsdef_of_a_node_shows_inherited_attributes_and_the_default_scripts_first()
    {
        // Given a node that sets its os, in a group that sets arch, profile and postbootscripts
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=compute,all", "os=rhels8.5.0", "postscripts=own");
        site.Run("chdef", "-t", "group", "compute", "os=ignored", "arch=x86_64", "profile=compute", "postbootscripts=late");

        // When the node is listed
        var result = site.Run("lsdef", "-t", "node", "-o", "cn1");

        // Then its own values win, the group fills the gaps, and xcatdefaults come first
        Assert.Equal(
            "Object name: cn1\n    arch=x86_64\n    groups=compute,all\n    os=rhels8.5.0\n    postbootscripts=otherpkgs,late\n" +
            "    postscripts=syslog,remoteshell,syncfiles,own\n    profile=compute\n",
            result.Output);
    }

    [Fact]
    public void A_node_stanza_leaves_out_the_default_scripts_so_it_can_be_fed_back()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all", "postscripts=own");

        var result = site.Run("lsdef", "-z", "cn1");

        Assert.Equal("# <xCAT data object stanza file>\n\ncn1:\n    objtype=node\n    groups=all\n    postscripts=own\n", result.Output);
    }

    [Fact]
    public void Lsdef_without_a_type_lists_nodes_and_groups_are_the_union_of_nodelist_groups()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn[1-2]", "groups=compute,all");
        site.Run("mkdef", "-t", "node", "login1", "groups=login,all");

        var nodes = site.Run("lsdef");
        var groups = site.Run("lsdef", "-t", "group");

        Assert.Equal("cn1  (node)\ncn2  (node)\nlogin1  (node)\n", nodes.Output);
        Assert.Equal("all  (group)\ncompute  (group)\nlogin  (group)\n", groups.Output);
    }

    [Fact]
    public void Lsdef_of_the_site_prints_clustersite()
    {
        using var site = new TempSite();
        site.Run("chdef", "-t", "site", "timezone=UTC", "master=10.0.0.1");

        var result = site.Run("lsdef", "-t", "site");

        Assert.Equal(
            "Object name: clustersite\n    installdir=/install\n    master=10.0.0.1\n    secureroot=0\n    tftpdir=/tftpboot\n    timezone=UTC\n    tmpdir=/tmp\n",
            result.Output);
    }

    /// <summary>Three images whose values exercise lsdef's and tabdump's quoting and filtering.</summary>
    private static TempSite AwkwardImages()
    {
        var site = new TempSite();
        Assert.Equal(0, site.Run(
            "mkdef", "-t", "osimage", "-o", "rhels8.5.0-x86_64-install-compute", "imagetype=linux", "provmethod=install",
            "profile=compute", "osvers=rhels8.5.0", "osarch=x86_64", "description=say \"hi\", twice",
            "template=/install/custom/install/rh/compute.tmpl", "pkglist=/a.pkglist,/b.pkglist", "usercomment=made by hand, \"carefully\"",
            "synclists=").ExitCode);
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "aix71", "imagetype=NIM", "osname=AIX", "profile=compute").ExitCode);
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "sles15-x86_64-netboot-compute", "imagetype=linux", "environvar=A=1,B=2").ExitCode);
        site.Site.Database.Write(s =>
        {
            // Columns lsdef never shows: osimage.comments, and a linuximage row of a NIM image.
            s.Set(XcatSchema.OsImage, ["rhels8.5.0-x86_64-install-compute"], new Dictionary<string, string?> { ["comments"] = "not shown" });
            s.Set(XcatSchema.LinuxImage, ["aix71"], new Dictionary<string, string?> { ["pkglist"] = "/not/shown" });
            return 0;
        });
        return site;
    }
}
