using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

public sealed class RmdefTests
{
    [Fact]
    public void Rmdef_removes_the_osimage_and_linuximage_rows()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "-o", "img1", "imagetype=linux", "pkglist=/a");
        site.Run("mkdef", "-t", "osimage", "-o", "img2", "imagetype=linux");

        var result = site.Run("rmdef", "-t", "osimage", "-o", "img1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 object definitions have been removed.\n", result.Output);
        Assert.Equal("img2  (osimage)\n", site.Run("lsdef", "-t", "osimage").Output);
        Assert.Empty(site.Site.Database.ReadAll(XcatSchema.LinuxImage));
    }

    [Fact]
    public void Rmdef_of_a_missing_object_names_it_and_removes_nothing()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "-o", "img1", "imagetype=linux");
        var before = SiteSnapshot.Take(site);

        var result = site.Run("rmdef", "-t", "osimage", "img1,ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Could not find an object named 'ghost' of type 'osimage'.", result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Rmdef_of_a_group_takes_it_out_of_its_members_groups_and_removes_its_rows()
    {
        // Given: two members of the group (one lists it between others, one not at all) and a row of the group's own
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "cn1", "groups=all,compute,gpu").ExitCode);
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "cn2", "groups=compute").ExitCode);
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "cn3", "groups=all").ExitCode);
        Assert.Equal(0, site.Run("chdef", "-t", "group", "compute", "postscripts=mypost").ExitCode);
        Assert.Equal("mypost", site.Site.Database.Find(XcatSchema.Postscripts, "compute")!["postscripts"]);

        // When
        var result = site.Run("rmdef", "-t", "group", "compute");

        // Then: the group is gone from every member's list, the others are untouched, and its row is removed
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 object definitions have been removed.\n", result.Output);
        Assert.Equal("all,gpu", site.Site.Database.Find(XcatSchema.NodeList, "cn1")!["groups"]);
        Assert.Equal(string.Empty, site.Site.Database.Find(XcatSchema.NodeList, "cn2")!["groups"] ?? string.Empty);
        Assert.Equal("all", site.Site.Database.Find(XcatSchema.NodeList, "cn3")!["groups"]);
        Assert.Null(site.Site.Database.Find(XcatSchema.Postscripts, "compute"));
        Assert.DoesNotContain("compute", site.Run("lsdef", "-t", "group").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Rmdef_of_a_node_removes_its_rows_in_every_node_table()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all", "os=rhels8.5.0", "postscripts=a");

        var result = site.Run("rmdef", "-t", "node", "cn1");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(site.Site.Database.ReadAll(XcatSchema.NodeList));
        Assert.Empty(site.Site.Database.ReadAll(XcatSchema.NodeType));
        Assert.Null(site.Site.Database.Find(XcatSchema.Postscripts, "cn1"));
    }
}
