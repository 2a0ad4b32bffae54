using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Bundles;

namespace XcatImageBuild.Tests.Site;

public sealed class LogicalPathTests
{
    [Theory]
    [InlineData("/install//netboot/../custom/", "/install/custom")]
    [InlineData("/install/", "/install")]
    [InlineData("/../../etc", "/etc")]
    [InlineData("/", "/")]
    public void Normalize_resolves_dots_and_repeated_and_trailing_separators(string path, string expected) =>
        Assert.Equal(expected, LogicalPath.Normalize(path));

    [Theory]
    [InlineData("/install/custom", "/install/", true)]
    [InlineData("/install", "/install", true)]
    [InlineData("/installer", "/install", false)]
    [InlineData("/install/../etc", "/install", false)]
    [InlineData("/etc", "/", true)]
    public void A_path_is_under_a_prefix_only_by_whole_names(string path, string prefix, bool under) =>
        Assert.Equal(under, LogicalPath.IsUnder(path, prefix));

    [Theory]
    [InlineData("/srv/tree/", "tree", "/srv")]
    [InlineData("/srv//tree", "tree", "/srv")]
    [InlineData("/srv", "srv", "/")]
    [InlineData("compute.pkglist", "compute.pkglist", ".")]
    [InlineData("lists/compute.pkglist", "compute.pkglist", "lists")]
    [InlineData("/", "", "/")]
    public void Basename_and_dirname_ignore_trailing_separators_as_posix_does(string path, string baseName, string directory)
    {
        Assert.Equal(baseName, LogicalPath.BaseName(path));
        Assert.Equal(directory, LogicalPath.DirectoryOf(path));
    }

    [Fact]
    public void Join_puts_exactly_one_separator_between_names()
    {
        Assert.Equal("/install/custom/netboot", LogicalPath.Join("/install/", "custom", "/netboot/"));
        Assert.Equal("/tmp", LogicalPath.Join("/", "tmp"));
        Assert.Equal("./more.pkglist", LogicalPath.Join(".", "more.pkglist"));
    }

    [Fact]
    public void An_installdir_with_a_trailing_slash_builds_the_same_paths_as_without()
    {
        // Given site.installdir=/install/ and a netboot image whose pkglist is found under <installdir>/custom
        using var fixture = new ExportFixture();
        fixture.AddNetbootImage();
        fixture.Site.SetRows(s =>
        {
            s.Set(XcatSchema.Site, ["installdir"], new Dictionary<string, string?> { ["value"] = "/install/" });
            s.Set(XcatSchema.LinuxImage, [ExportFixture.Netboot], new Dictionary<string, string?> { ["pkglist"] = null });
        });
        fixture.Site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "bash\n");

        // When it is exported
        var result = fixture.Export(ExportFixture.Netboot);

        // Then the pkglist is named /install/custom/..., never /install//custom/...
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\n/install/custom/netboot/rh/compute.pkglist\n", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/install//", result.Output, StringComparison.Ordinal);
        Assert.Equal("/install", fixture.Site.Site.InstallDir);
    }
}
