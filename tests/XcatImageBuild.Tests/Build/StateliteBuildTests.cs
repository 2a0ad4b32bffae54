using XcatImageBuild.Build;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

/// <summary>A statelite recipe through the build engine: genimage → liteimg → imgexport, each run only when its inputs changed.</summary>
public sealed class StateliteBuildTests : IDisposable
{
    private const string Image = "rocky9.4-x86_64-statelite-compute";
    private const string Directory = "/install/netboot/rocky9.4/x86_64/compute";

    private readonly TempSite _site = new();
    private readonly TempDirectory _recipes = RecipeTesting.NewRecipeDirectory();
    private readonly string _recipe;

    public StateliteBuildTests()
    {
        _site.WriteFile("/install/rocky9.4/x86_64/repodata/repomd.xml", "<repomd><revision>1</revision></repomd>\n");
        _recipe = _recipes.Write("compute.csx", $$"""
            Image("{{Image}}")
                .Statelite()
                .Os("rocky9.4", "x86_64")
                .Profile("compute")
                .Packages("bash");
            """);
        Assert.Equal(0, RecipeTesting.Run(_site, "recipe", "apply", _recipe).ExitCode);

        // genimage's work, done by hand and recorded as a successful genimage records it.
        _site.WriteFile($"{Directory}/rootimg/etc/hosts", "127.0.0.1 localhost\n");
        _site.WriteFile($"{Directory}/rootimg/etc/ntp.conf", "server 10.0.0.1\n");
        _site.WriteFile($"{Directory}/kernel", "kernel\n");
        _site.WriteFile($"{Directory}/initrd-stateless.gz", "initrd\n");
        _site.WriteFile($"{Directory}/initrd-statelite.gz", "initrd\n");
        Assert.Equal(0, _site.Run("chtab", $"image={Image},file=/etc/ntp.conf", "litefile.options=link").ExitCode);
        RecordGenimage();
    }

    private string Bundles => Path.Combine(_site.Scratch, "bundles");

    [Fact]
    public void Plan_shows_liteimg_between_genimage_and_imgexport()
    {
        var plan = RecipeTesting.Run(_site, "plan", _recipe, "--bundles", Bundles);

        Assert.True(plan.ExitCode == 0, plan.Error);
        var lines = plan.Output.Split('\n').Where(l => l.Contains($" {Image}: ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith($"genimage {Image}: skips", lines[0], StringComparison.Ordinal);
        Assert.Equal($"liteimg {Image}: runs — not built in this site yet", lines[1]);
        Assert.Equal($"imgexport {Image}: runs — not built in this site yet", lines[2]);
        Assert.Equal(3, lines.Count);
    }

    [Fact]
    public void Build_lites_the_root_and_exports_a_statelite_bundle_then_skips_both_when_nothing_changed()
    {
        // When the statelite image is built
        var build = RecipeTesting.Run(_site, "build", _recipe, "--bundles", Bundles);

        // Then liteimg made the layout and imgexport bundled the root tree and the litefile rows
        Assert.True(build.ExitCode == 0, build.Output + build.Error);
        Assert.Contains($"liteimg {Image}: ran — not built in this site yet; took ", build.Output, StringComparison.Ordinal);
        Assert.Contains($"imgexport {Image}: ran — not built in this site yet; took ", build.Output, StringComparison.Ordinal);
        Assert.Equal("../.statelite/tmpfs/etc/ntp.conf", new FileInfo(_site.Map($"{Directory}/rootimg/etc/ntp.conf")).LinkTarget);
        var names = BundleNames(Path.Combine(Bundles, $"{Image}.tgz"));
        Assert.Contains($"{Image}/litefile.csv", names);
        Assert.Contains($"{Image}/rootimgtree.gz", names);

        // And a second build runs neither
        var again = RecipeTesting.Run(_site, "build", _recipe, "--bundles", Bundles);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains($"liteimg {Image}: skipped — inputs and outputs unchanged since ", again.Output, StringComparison.Ordinal);
        Assert.Contains($"imgexport {Image}: skipped — inputs and outputs unchanged since ", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_new_litefile_row_reruns_liteimg_and_imgexport_naming_the_rows()
    {
        Assert.Equal(0, RecipeTesting.Run(_site, "build", _recipe, "--bundles", Bundles).ExitCode);

        Assert.Equal(0, _site.Run("chtab", "image=ALL,file=/etc/hosts", "litefile.options=tmpfs").ExitCode);
        var plan = RecipeTesting.Run(_site, "plan", _recipe, "--bundles", Bundles);

        Assert.Contains($"liteimg {Image}: runs — litefile rows for {Image} changed", plan.Output, StringComparison.Ordinal);
        Assert.Contains($"imgexport {Image}: runs — liteimg runs first", plan.Output, StringComparison.Ordinal);
        Assert.Contains($"genimage {Image}: skips", plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_litefile_row_fails_liteimg_and_skips_imgexport()
    {
        Assert.Equal(0, _site.Run("chtab", $"image={Image},file=/etc/../../escape", "litefile.options=link").ExitCode);

        var build = RecipeTesting.Run(_site, "build", _recipe, "--bundles", Bundles);

        Assert.Equal(1, build.ExitCode);
        Assert.Contains($"liteimg {Image}: failed — /etc/../../escape climbs out of the root image", build.Output, StringComparison.Ordinal);
        Assert.Contains($"imgexport {Image}: skipped — liteimg failed", build.Output, StringComparison.Ordinal);
        Assert.False(Path.Exists(_site.Map($"{Directory}/rootimg/.statelite")));
        Assert.False(File.Exists(Path.Combine(Bundles, $"{Image}.tgz")));
    }

    public void Dispose()
    {
        _site.Dispose();
        _recipes.Dispose();
    }

    private void RecordGenimage()
    {
        using var probe = new RepositoryProbe();
        var plan = new BuildPlanner(_site.Site.Root, _site.Site.Database, _site.Site.InstallDir, RecipeTesting.Cache, probe, new FakeProcessRunner()).Plan([_recipe]);
        var image = plan.Images.Single();
        var stage = image.Stages.Single(s => s.Name == "genimage");
        var settings = new BuildSettings { BundleDirectory = Bundles };
        new StageRecord
        {
            Stage = stage.Name,
            Image = Image,
            Finished = DateTimeOffset.UtcNow,
            DurationSeconds = 1,
            Inputs = stage.Inputs(image.Snapshot, settings).Values,
            Outputs = stage.Outputs(image.Snapshot, settings).Values,
        }.Save(_site.Site.Root);
    }

    private static List<string> BundleNames(string bundle)
    {
        using var file = File.OpenRead(bundle);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }

        return names;
    }
}
