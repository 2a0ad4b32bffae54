using XcatImageBuild.Build;
using XcatImageBuild.Genimage;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

/// <summary>
/// A site with a netboot recipe whose genimage has been done by hand (a small root, a kernel and an initrd, recorded
/// as genimage records them), so packimage and imgexport run for real without root or network.
/// </summary>
internal sealed class BuildScenario : IDisposable
{
    public const string Image = "rocky9.4-x86_64-netboot-compute";
    public const string RootImageDirectory = "/install/netboot/rocky9.4/x86_64/compute";
    public const string SyncSource = "/install/files/chrony.conf";

    private readonly TempDirectory _recipes = RecipeTesting.NewRecipeDirectory();

    public BuildScenario()
    {
        // A local package repository, as copycds leaves one.
        Site.WriteFile("/install/rocky9.4/x86_64/repodata/repomd.xml", "<repomd><revision>1</revision></repomd>\n");
        Site.WriteFile(SyncSource, "server ntp.example.org iburst\n");
        Recipe = WriteRecipe("one");
    }

    public TempSite Site { get; } = new();

    public string Recipe { get; }

    public string Bundles => Path.Combine(Site.Scratch, "bundles");

    public string Bundle => Path.Combine(Bundles, $"{Image}.tgz");

    /// <summary>Writes the recipe; <paramref name="marker"/> is what its postinstall step writes.</summary>
    public string WriteRecipe(string marker) => _recipes.Write("compute.csx", $$"""
        Image("{{Image}}")
            .Netboot()
            .Os("rocky9.4", "x86_64")
            .Profile("compute")
            .Packages("bash", "chrony")
            .Exclude("./usr/share/doc*")
            .Sync("{{SyncSource}}", "/etc/chrony.conf")
            .Postinstall("echo {{marker}} > \"$1/etc/marker\"");
        """);

    /// <summary>Applies the recipe and does genimage's work by hand: a root, a kernel, an initrd and the record.</summary>
    public BuildScenario WithGenimageDone()
    {
        Assert.Equal(0, RecipeTesting.Run(Site, "recipe", "apply", Recipe).ExitCode);
        WriteRootFile("etc/shadow", "root:!:19000:0:99999:7:::\n");
        WriteRootFile("etc/hostname", "node\n");
        WriteRootFile("usr/share/doc/bash/README", "docs\n");
        WriteRootFile("usr/bin/tool", "#!/bin/sh\n");
        Site.WriteFile($"{RootImageDirectory}/kernel", "kernel\n");
        Site.WriteFile($"{RootImageDirectory}/initrd-stateless.gz", "initrd\n");
        RecordGenimage();
        return this;
    }

    /// <summary>Records genimage's run on the image as it is now, as a successful genimage would.</summary>
    public void RecordGenimage()
    {
        var (stage, image) = Stage("genimage");
        new StageRecord
        {
            Stage = stage.Name,
            Image = Image,
            Finished = DateTimeOffset.UtcNow,
            DurationSeconds = 1,
            Inputs = stage.Inputs(image, Settings()).Values,
            Outputs = stage.Outputs(image, Settings()).Values,
        }.Save(Site.Site.Root);
    }

    public void WriteRootFile(string relative, string text) => Site.WriteFile($"{RootImageDirectory}/rootimg/{relative}", text);

    /// <summary>Marks the root as a genimage that did not finish leaves it.</summary>
    public void MarkRootUnfinished() => Site.WriteFile($"{RootImageDirectory}/{GenimageStage.IncompleteMarker}", "genimage started\n");

    public CliResult Build(params string[] args) => RecipeTesting.Run(Site, ["build", Recipe, "--bundles", Bundles, .. args]);

    public CliResult Plan(params string[] args) => RecipeTesting.Run(Site, ["plan", Recipe, "--bundles", Bundles, .. args]);

    /// <summary>The last outcome line of a stage in some output: <c>packimage IMAGE: ran — ...</c>.</summary>
    public static string LineOf(CliResult result, string stage) =>
        result.Output.Split('\n').Last(l => l.StartsWith($"{stage} {Image}: ", StringComparison.Ordinal));

    public void Dispose()
    {
        Site.Dispose();
        _recipes.Dispose();
    }

    private BuildSettings Settings() => new() { BundleDirectory = Bundles };

    private (BuildStage Stage, ImageSnapshot Image) Stage(string name)
    {
        using var probe = new RepositoryProbe();
        var plan = new BuildPlanner(Site.Site.Root, Site.Site.Database, Site.Site.InstallDir, RecipeTesting.Cache, probe).Plan([Recipe]);
        var image = plan.Images.Single();
        return (image.Stages.Single(s => s.Name == name), image.Snapshot);
    }
}
