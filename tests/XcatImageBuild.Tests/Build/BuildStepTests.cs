using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

/// <summary>
/// <c>plan --tasks</c> and <c>build --only</c>: the steps of a build as lines a driver (Cake) makes one task each of,
/// and each step run on its own.
/// </summary>
public sealed class BuildStepTests
{
    private const string Image = BuildScenario.Image;

    [Fact]
    public void Plan_tasks_lists_every_step_with_its_outcome_recipe_and_reason()
    {
        // Given a built image whose synclist source then changed
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);
        scenario.Site.WriteFile(BuildScenario.SyncSource, "server ntp2.example.org iburst\n");

        // When the steps are listed
        var result = scenario.Plan("--tasks");

        // Then there is one tab-separated line per step, in build's order, and nothing else on stdout
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var lines = result.Output.TrimEnd('\n').Split('\n').Select(l => l.Split('\t')).ToList();
        Assert.All(lines, fields => Assert.Equal(5, fields.Length));
        Assert.Equal(["apply", "genimage", "packimage", "imgexport"], lines.Select(f => f[0]));
        Assert.All(lines, fields => Assert.Equal((Image, scenario.Recipe), (fields[1], fields[3])));
        Assert.Equal(["skips", "the recipe's rows and files are already in the site"], new[] { lines[0][2], lines[0][4] });
        Assert.Equal("skips", lines[1][2]);
        Assert.StartsWith("inputs and outputs unchanged since ", lines[1][4], StringComparison.Ordinal);
        Assert.Equal(["runs", $"synclist source {BuildScenario.SyncSource} changed"], new[] { lines[2][2], lines[2][4] });
        Assert.Equal(["runs", "packimage runs first"], new[] { lines[3][2], lines[3][4] });
    }

    [Fact]
    public void Plan_tasks_of_a_site_not_created_yet_blocks_an_image_whose_repository_is_missing()
    {
        // Given a directory where no site exists yet, and a recipe whose pkgdir a site would hold
        using var scenario = new BuildScenario();
        var fresh = Path.Combine(scenario.Site.Scratch, "fresh-site");

        // When the steps are listed
        var result = Testing.Cli.Run(RecipeTesting.Environment, ["--site", fresh, "plan", scenario.Recipe, "--tasks"]);

        // Then apply would write everything, the image is blocked naming the pkgdir, and nothing is created
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        var lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"apply\t{Image}\truns\t{scenario.Recipe}\t/install/custom/netboot/rocky/compute.rocky9.4.x86_64.pkglist new, ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith($", osimage {Image} new", lines[0], StringComparison.Ordinal);
        Assert.StartsWith(
            $"build\t{Image}\tblocked\t{scenario.Recipe}\tmissing its package repository /install/rocky9.4/x86_64 (linuximage.pkgdir), which does not exist in the site",
            lines[1],
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(fresh));
    }

    [Fact]
    public void Build_only_runs_the_named_step_and_decides_it_again()
    {
        // Given an image whose genimage is done
        using var scenario = new BuildScenario().WithGenimageDone();

        // When only its packimage is built
        var packimage = scenario.Build("--only", $"{Image}:packimage");

        // Then packimage ran, nothing else did, and no bundle was written
        Assert.True(packimage.ExitCode == 0, packimage.Output + packimage.Error);
        Assert.StartsWith($"packimage {Image}: ran — not built in this site yet; took ", BuildScenario.LineOf(packimage, "packimage"), StringComparison.Ordinal);
        Assert.DoesNotContain($"genimage {Image}:", packimage.Output, StringComparison.Ordinal);
        Assert.DoesNotContain($"imgexport {Image}:", packimage.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(scenario.Bundle));

        // And then its imgexport alone writes the bundle, and packimage alone again is skipped
        var imgexport = scenario.Build("--only", $"{Image}:imgexport");
        Assert.True(imgexport.ExitCode == 0, imgexport.Output + imgexport.Error);
        Assert.StartsWith($"imgexport {Image}: ran — not built in this site yet; took ", BuildScenario.LineOf(imgexport, "imgexport"), StringComparison.Ordinal);
        Assert.True(File.Exists(scenario.Bundle));
        Assert.StartsWith($"packimage {Image}: skipped — inputs and outputs unchanged since ", BuildScenario.LineOf(scenario.Build("--only", $"{Image}:packimage"), "packimage"), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_only_naming_a_step_no_recipe_has_is_an_error_and_builds_nothing()
    {
        // Given an image whose genimage is done
        using var scenario = new BuildScenario().WithGenimageDone();

        // When --only names an image the recipe does not define, or a step that is not one
        var unknown = scenario.Build("--only", "nosuch:packimage");
        var bogus = scenario.Build("--only", $"{Image}:pack");

        // Then each is refused naming it, and packimage has no record
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Error: --only nosuch:packimage: no image of the recipes has that step", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(1, bogus.ExitCode);
        Assert.Contains($"Error: --only {Image}:pack: give IMAGE:STEP, where STEP is apply, genimage, packimage, liteimg or imgexport.", bogus.Error, StringComparison.Ordinal);
        Assert.StartsWith($"packimage {Image}: runs — not built in this site yet", BuildScenario.LineOf(scenario.Plan(), "packimage"), StringComparison.Ordinal);
    }
}
