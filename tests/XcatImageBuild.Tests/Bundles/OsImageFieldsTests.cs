using XcatImageBuild.Images;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// The name and directory rules hold for every way a row reaches the osimage tables: imgimport (see the hostile
/// corpus), mkdef, chdef and recipe apply; and imgexport writes only the named file in the working directory.
/// </summary>
public sealed class OsImageFieldsTests
{
    [Theory]
    [InlineData("a/b", "contains '/'")]
    [InlineData("..", "is '..'")]
    [InlineData(".", "is '.'")]
    [InlineData("x\ny", "contains the control character \\n")]
    [InlineData("x\ry", "contains the control character \\r")]
    [InlineData("x\u001by", "contains the control character \\x1b")]
    public void A_name_with_a_slash_a_dot_segment_or_a_control_character_is_refused(string value, string problem)
    {
        Assert.Equal(problem, OsImageFields.NameProblem(value));
    }

    [Theory]
    [InlineData("rhels8.5.0-x86_64-netboot-compute")]
    [InlineData("my image..v2")]
    public void An_ordinary_name_is_accepted(string value)
    {
        Assert.Null(OsImageFields.NameProblem(value));
    }

    [Theory]
    [InlineData("/install/netboot/x", null)]
    [InlineData("/install//netboot/x/", null)]
    [InlineData("/srv/images/x", null)]
    [InlineData("/etc/cron.d", "lies outside the site's installdir (/install)")]
    [InlineData("/installer/x", "lies outside the site's installdir (/install)")]
    [InlineData("/install/../etc", "contains '..'")]
    [InlineData("install/x", "is not an absolute path")]
    public void A_directory_must_lie_under_installdir_or_an_allowed_prefix(string value, string? problem)
    {
        Assert.Equal(problem, OsImageFields.DirectoryProblem(value, "/install/", ["/srv/images"]));
    }

    [Fact]
    public void Mkdef_refuses_a_name_that_climbs_and_a_field_with_a_newline()
    {
        // Given a site
        using var site = new TempSite();
        var before = site.Run("tabdump", "osimage").Output;

        // When osimages with a climbing name and a forged line in osvers are defined
        var climbing = site.Run("mkdef", "-t", "osimage", "-o", "..", "imagetype=linux");
        var forged = site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux", "osvers=rhels8\nObject name: forged");

        // Then both are refused, naming the value, and nothing is stored
        Assert.NotEqual(0, climbing.ExitCode);
        Assert.Contains("Error: The osimage name '..' is '..'.", climbing.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, forged.ExitCode);
        Assert.Contains("Error: The value 'rhels8\\nObject name: forged' of 'osvers' for osimage 'img' contains the control character \\n.", forged.Error, StringComparison.Ordinal);
        Assert.Equal(before, site.Run("tabdump", "osimage").Output);
    }

    [Fact]
    public void Chdef_refuses_a_rootimgdir_outside_installdir()
    {
        // Given a Linux osimage
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux", "rootimgdir=/install/netboot/img").ExitCode);

        // When its rootimgdir is pointed at /etc/cron.d
        var result = site.Run("chdef", "-t", "osimage", "-o", "img", "rootimgdir=/etc/cron.d");

        // Then it is refused and the row keeps its directory
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: The value '/etc/cron.d' of 'rootimgdir' for osimage 'img' lies outside the site's installdir (/install).", result.Error, StringComparison.Ordinal);
        Assert.Equal("/install/netboot/img", site.Site.Database.Find(XcatSchema.LinuxImage, "img")?["rootimgdir"]);
    }

    [Fact]
    public void Recipe_apply_refuses_an_image_name_with_a_slash_and_a_rootimgdir_outside_installdir()
    {
        // Given a recipe whose image name climbs and whose rootimgdir is /etc/cron.d
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("bad.csx", """
            Image("../rhels9.4-x86_64-netboot-compute")
                .Netboot().Os("rhels9.4", "x86_64").Profile("compute")
                .RootImageDirectory("/etc/cron.d");
            """);

        // When it is applied
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then both problems are named and nothing is defined
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("imagename '../rhels9.4-x86_64-netboot-compute' contains '/'.", result.Error, StringComparison.Ordinal);
        Assert.Contains("rootimgdir '/etc/cron.d' lies outside the site's installdir (/install).", result.Error, StringComparison.Ordinal);
        Assert.Empty(site.Site.Database.ReadAll(XcatSchema.OsImage));
    }

    [Fact]
    public void Imgexport_of_an_image_whose_name_climbs_writes_nothing_outside_the_working_directory()
    {
        // Given an image planted in the tables with a name that climbs out of the working directory
        using var fixture = new ExportFixture();
        fixture.AddNetbootImage();
        const string Planted = "../../victim";
        fixture.Site.Site.Database.Write(s =>
        {
            var row = s.Find(XcatSchema.OsImage, ExportFixture.Netboot)!;
            s.Set(XcatSchema.OsImage, [Planted], XcatSchema.OsImage.Columns.Where(c => c != "imagename").ToDictionary(c => c, c => row[c]));
            return 0;
        });
        var victim = Path.GetFullPath(Path.Combine(fixture.Output, Planted + ".tgz"));

        // When it is exported
        var result = fixture.Export(Planted);

        // Then it is refused, and nothing appeared in the working directory or above it
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: The image name '../../victim' contains '/', so it cannot name a bundle.", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(fixture.Output));
        Assert.False(File.Exists(victim));
    }
}
