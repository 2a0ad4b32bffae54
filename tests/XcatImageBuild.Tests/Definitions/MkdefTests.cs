using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

public sealed class MkdefTests
{
    private const string Image = "rhels8.5.0-x86_64-netboot-compute";

    [Fact]
    public void Mkdef_of_an_osimage_writes_exactly_the_given_columns_of_one_osimage_row()
    {
        // Given a new site
        using var site = new TempSite();

        // When the image is defined by hand as xCAT's documentation does
        var result = site.Run(
            "mkdef", "-t", "osimage", "-o", Image, "profile=compute", "provmethod=netboot", "osvers=rhels8.5.0", "osarch=x86_64",
            "imagetype=linux", "osname=Linux");

        // Then mkdef reports one object, tabdump prints xCAT's row and no linuximage row was written
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 object definitions have been created or modified.\n", result.Output);
        Assert.Equal(
            "#imagename,groups,profile,imagetype,description,provmethod,rootfstype,osdistroname,osupdatename,cfmdir,osname,osvers,osarch,synclists,postscripts,postbootscripts,serverrole,isdeletable,kitcomponents,environvar,comments,disable\n" +
            "\"rhels8.5.0-x86_64-netboot-compute\",,\"compute\",\"linux\",,\"netboot\",,,,,\"Linux\",\"rhels8.5.0\",\"x86_64\",,,,,,,,,\n",
            site.Run("tabdump", "osimage").Output);
        Assert.Equal(TabDump.Format(XcatSchema.LinuxImage, []), site.Run("tabdump", "linuximage").Output);
    }

    [Fact]
    public void Lsdef_prints_the_stanza_of_a_hand_made_osimage()
    {
        using var site = new TempSite();
        site.Run(
            "mkdef", "-t", "osimage", "-o", Image, "profile=compute", "provmethod=netboot", "osvers=rhels8.5.0", "osarch=x86_64",
            "imagetype=linux", "osname=Linux");

        var result = site.Run("lsdef", "-t", "osimage", Image);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "Object name: rhels8.5.0-x86_64-netboot-compute\n" +
            "    imagetype=linux\n    osarch=x86_64\n    osname=Linux\n    osvers=rhels8.5.0\n    profile=compute\n    provmethod=netboot\n",
            result.Output);
    }

    [Fact]
    public void A_linuximage_attribute_writes_the_linuximage_row_and_usercomment_is_its_comments_column()
    {
        using var site = new TempSite();

        var result = site.Run(
            "mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "profile=compute", "pkglist=/install/custom/a.pkglist",
            "usercomment=built by hand", "description=mine");

        Assert.Equal(0, result.ExitCode);
        var (osimage, linuximage) = site.Site.Database.Read(s => (s.Find(XcatSchema.OsImage, Image)!, s.Find(XcatSchema.LinuxImage, Image)!));
        Assert.Equal("/install/custom/a.pkglist", linuximage["pkglist"]);
        Assert.Equal("built by hand", linuximage["comments"]);
        Assert.Null(osimage["comments"]);
        Assert.Equal("mine", osimage["description"]);
    }

    [Fact]
    public void Mkdef_of_an_existing_object_fails_with_xcats_message_and_changes_nothing()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "profile=compute");
        var before = SiteSnapshot.Take(site);

        var result = site.Run("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "profile=service");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: A definition for '{Image}' already exists.\n" +
            "Error: To remove the old definition and replace it with a new definition use the force '-f' option.\n" +
            "Error: To change the existing definition use the 'chdef' command.\n" +
            "Error: One or more errors occured when attempting to create or modify xCAT object definitions.\n",
            result.Error);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Mkdef_with_force_replaces_the_whole_definition()
    {
        // Given an image with a linuximage row
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "-o", Image, "imagetype=linux", "profile=compute", "pkglist=/a.pkglist");

        // When it is defined again with -f and other attributes
        var result = site.Run("mkdef", "-f", "-t", "osimage", "-o", Image, "imagetype=linux", "profile=service");

        // Then only the new attributes remain
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            $"Object name: {Image}\n    imagetype=linux\n    profile=service\n",
            site.Run("lsdef", "-t", "osimage", "-o", Image).Output);
        Assert.Null(site.Site.Database.Find(XcatSchema.LinuxImage, Image));
    }

    [Fact]
    public void Mkdef_of_nodes_expands_a_noderange_and_needs_groups()
    {
        using var site = new TempSite();

        var made = site.Run("mkdef", "-t", "node", "cn[01-02]", "groups=compute,all", "os=rhels8.5.0", "arch=x86_64", "profile=compute");
        var withoutGroups = site.Run("mkdef", "-t", "node", "-o", "lonely", "os=rhels8.5.0");

        Assert.Equal("2 object definitions have been created or modified.\n", made.Output);
        Assert.Equal(
            "#node,groups,status,statustime,appstatus,appstatustime,primarysn,hidden,updatestatus,updatestatustime,zonename,comments,disable\n" +
            "\"cn01\",\"compute,all\",,,,,,,,,,,\n\"cn02\",\"compute,all\",,,,,,,,,,,\n",
            site.Run("tabdump", "nodelist").Output);
        Assert.Equal(1, withoutGroups.ExitCode);
        Assert.Contains("Error: Attribute 'groups' is not specified for node 'lonely'.", withoutGroups.Error, StringComparison.Ordinal);
        Assert.False(site.Site.Database.Read(s => s.Find(XcatSchema.NodeType, "lonely") is not null));
    }

    [Fact]
    public void Mkdef_of_a_group_adds_it_to_its_members_groups_and_keeps_its_attributes_for_them()
    {
        // Given two nodes
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn[1-2]", "groups=all");

        // When a group is defined with both as members and a postscript
        var result = site.Run("mkdef", "-t", "group", "-o", "compute", "members=cn1,cn2", "postscripts=mypost");

        // Then the members carry the group and inherit its postscript after the xcatdefaults ones
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("compute  (group)\n", site.Run("lsdef", "-t", "group", "-s", "compute").Output);
        Assert.Equal(
            "Object name: cn1\n    groups=all,compute\n    postbootscripts=otherpkgs\n    postscripts=syslog,remoteshell,syncfiles,mypost\n",
            site.Run("lsdef", "cn1").Output);
    }

    [Fact]
    public void Mkdef_of_a_group_refuses_members_that_are_not_nodes()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all");
        var before = SiteSnapshot.Take(site);

        var result = site.Run("mkdef", "-t", "group", "-o", "compute", "members=cn1,ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Could not find a node named 'ghost'.", result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }
}
