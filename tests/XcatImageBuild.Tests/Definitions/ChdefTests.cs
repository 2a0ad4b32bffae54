using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

public sealed class ChdefTests
{
    private const string Image = "rocky9-x86_64-netboot-compute";

    [Fact]
    public void Chdef_changes_only_the_given_attributes()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", Image, "imagetype=linux", "profile=compute", "osvers=rocky9");

        var result = site.Run("chdef", "-t", "osimage", Image, "osvers=rocky9.4", "rootimgdir=/install/netboot/rocky9.4/x86_64/compute");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 object definitions have been created or modified.\n", result.Output);
        Assert.Equal(
            $"Object name: {Image}\n    imagetype=linux\n    osvers=rocky9.4\n    profile=compute\n    rootimgdir=/install/netboot/rocky9.4/x86_64/compute\n",
            site.Run("lsdef", "-t", "osimage", Image).Output);
    }

    [Fact]
    public void Chdef_of_a_missing_osimage_creates_it_as_xcat_does()
    {
        using var site = new TempSite();

        var result = site.Run("chdef", "-t", "osimage", "-o", "newimage", "profile=compute");

        // xCAT's defch adds groups=all to every new object and imagetype=NIM to a new osimage without one.
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 object definitions have been created or modified.\nNew object definitions 'newimage' have been created.\n", result.Output);
        Assert.Equal("Object name: newimage\n    groups=all\n    imagetype=NIM\n    profile=compute\n", site.Run("lsdef", "-t", "osimage", "newimage").Output);
    }

    [Fact]
    public void Chdef_refuses_linuximage_attributes_on_an_image_that_is_not_linux()
    {
        using var site = new TempSite();
        var before = SiteSnapshot.Take(site);

        var result = site.Run("chdef", "-t", "osimage", "-o", "newimage", "pkglist=/a.pkglist");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'pkglist'", result.Error, StringComparison.Ordinal);
        Assert.Contains("need imagetype=linux", result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Chdef_plus_and_minus_edit_comma_lists()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", Image, "imagetype=linux", "synclists=/a,/b");

        site.Run("chdef", "-t", "osimage", Image, "-p", "synclists=/b,/c");
        var afterPlus = site.Site.Database.Find(XcatSchema.OsImage, Image)!["synclists"];
        site.Run("chdef", "-t", "osimage", Image, "-m", "synclists=/a");
        var afterMinus = site.Site.Database.Find(XcatSchema.OsImage, Image)!["synclists"];

        Assert.Equal("/a,/b,/c", afterPlus);
        Assert.Equal("/b,/c", afterMinus);
    }

    [Fact]
    public void Chdef_minus_on_a_missing_object_is_an_error()
    {
        using var site = new TempSite();

        var result = site.Run("chdef", "-t", "osimage", "ghost", "-m", "synclists=/a");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: The '-m' option is not valid since the 'ghost' definition does not exist.", result.Error, StringComparison.Ordinal);
        Assert.Null(site.Site.Database.Find(XcatSchema.OsImage, "ghost"));
    }

    [Fact]
    public void Chdef_of_the_site_sets_site_table_keys()
    {
        using var site = new TempSite();

        var result = site.Run("chdef", "-t", "site", "secureroot=1", "timezone=Europe/Berlin");

        Assert.Equal(0, result.ExitCode);
        Assert.True(site.Site.SecureRoot);
        Assert.Equal("Europe/Berlin", site.Site.Timezone);
    }

    [Fact]
    public void Chdef_of_a_group_replaces_its_members()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn[1-3]", "groups=all");
        site.Run("chdef", "-t", "group", "compute", "members=cn1,cn2");

        var result = site.Run("chdef", "-t", "group", "compute", "members=cn2,cn3");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Object name: compute\n    grouptype=static\n    members=cn2,cn3\n", site.Run("lsdef", "-t", "group", "compute").Output);
        Assert.Equal("all", site.Site.Database.Find(XcatSchema.NodeList, "cn1")!["groups"]);
    }

    [Fact]
    public void Chdef_of_nodes_through_a_group_changes_every_member()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn[1-2]", "groups=compute");

        var result = site.Run("chdef", "compute", "provmethod=rocky9-x86_64-netboot-compute");

        Assert.Equal("2 object definitions have been created or modified.\n", result.Output);
        Assert.All(
            site.Site.Database.ReadAll(XcatSchema.NodeType),
            row => Assert.Equal("rocky9-x86_64-netboot-compute", row["provmethod"]));
    }
}
