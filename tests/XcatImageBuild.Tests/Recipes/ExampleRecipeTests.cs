using System.Xml;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Recipes;

/// <summary>Every example under recipes/ applied to a fresh site, checked against what it must write.</summary>
public sealed class ExampleRecipeTests
{
    [Theory]
    [InlineData("debian12-netboot-compute")]
    [InlineData("rocky9-netboot-compute")]
    [InlineData("sles15-install-compute")]
    public void Example_recipe_writes_its_rows_and_generated_files(string name)
    {
        // Given: a fresh site holding the file the Rocky recipe syncs
        using var site = new TempSite();
        site.WriteFile("/install/files/chrony.conf", "server ntp.cluster iburst\n");
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, name + ".csx");

        // When
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        Golden.Check($"Recipes/{name}.txt", $"$ xcatimg recipe apply recipes/{name}.csx\n{result.Output}{RecipeTesting.DumpCustom(site)}");
    }

    [Fact]
    public void Show_of_the_rocky_example_prints_rows_files_and_extras_and_writes_nothing()
    {
        using var site = new TempSite();
        var before = RecipeTesting.Snapshot(site.Directory);

        var result = RecipeTesting.Run(site, "recipe", "show", Path.Combine(RecipeTesting.ExamplesDirectory, "rocky9-netboot-compute.csx"));

        Assert.Equal(0, result.ExitCode);
        Golden.Check("Recipes/rocky9-netboot-compute.show.txt", result.Output + result.Error);
        Assert.Equal(before, RecipeTesting.Snapshot(site.Directory));
        Assert.False(Directory.Exists(site.Map("/install/custom")));
    }

    [Fact]
    public void Show_of_a_directory_without_a_site_does_not_create_one()
    {
        using var directory = RecipeTesting.NewRecipeDirectory();
        var siteDirectory = Path.Combine(directory.Path, "site");

        var result = XcatImageBuild.Testing.Cli.Run(RecipeTesting.Environment, "--site", siteDirectory, "recipe", "show", Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("/install/custom/install/sles/compute.sles15.5.x86_64.tmpl (0644, template): new", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(siteDirectory));
    }

    [Fact]
    public void Show_json_carries_rows_and_the_exact_file_contents_apply_writes()
    {
        // Given
        using var site = new TempSite();
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "debian12-netboot-compute.csx");

        // When
        var shown = RecipeTesting.Run(site, "recipe", "show", "--json", recipe);
        RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(0, shown.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(shown.Output);
        var image = Assert.Single(json.RootElement.GetProperty("images").EnumerateArray());
        Assert.Equal("debian12-x86_64-netboot-compute", image.GetProperty("name").GetString());
        Assert.Equal("http://deb.debian.org/debian bookworm main", image.GetProperty("linuximage").GetProperty("pkgdir").GetString());
        foreach (var file in image.GetProperty("files").EnumerateArray())
        {
            Assert.Equal("new", file.GetProperty("change").GetString());
            Assert.Equal(File.ReadAllText(site.Map(file.GetProperty("path").GetString()!)), file.GetProperty("content").GetString());
        }

        Assert.Equal(0, json.RootElement.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void The_debian_example_postinstall_writes_its_marker_when_run_as_genimage_runs_it()
    {
        // Given: the applied example and an empty image root
        using var site = new TempSite();
        RecipeTesting.Run(site, "recipe", "apply", Path.Combine(RecipeTesting.ExamplesDirectory, "debian12-netboot-compute.csx"));
        var rootimg = Path.Combine(site.Directory, "rootimg");
        Directory.CreateDirectory(Path.Combine(rootimg, "etc"));

        // When: called outside the image as <script> <rootimg> <osver> <arch> <profile> (xcat-spec §3.3 step 9)
        var script = site.Map("/install/custom/netboot/debian/compute.debian12.x86_64.postinstall");
        new ProcessRunner().Run(new ToolCommand(script, [rootimg, "debian12", "x86_64", "compute"]));

        // Then
        Assert.Equal("debian12 x86_64 compute\n", File.ReadAllText(Path.Combine(rootimg, "etc", "xcatimg-recipe")));
    }

    [Fact]
    public void The_sles_example_autoyast_profile_is_well_formed_xml()
    {
        using var site = new TempSite();
        RecipeTesting.Run(site, "recipe", "apply", Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx"));
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };

        using var reader = XmlReader.Create(site.Map("/install/custom/install/sles/compute.sles15.5.x86_64.tmpl"), settings);
        var document = new XmlDocument { XmlResolver = null };
        document.Load(reader);

        Assert.Equal("profile", document.DocumentElement!.LocalName);
        Assert.Equal("console=tty0 console=ttyS0,115200", document.GetElementsByTagName("append")[0]!.InnerText);
    }
}
