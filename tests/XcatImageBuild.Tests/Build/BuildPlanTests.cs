using System.Text.Json;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

public sealed class BuildPlanTests
{
    [Fact]
    public void A_second_build_skips_every_stage_and_says_why()
    {
        // Given a build that packed and exported the image
        using var scenario = new BuildScenario().WithGenimageDone();
        var first = scenario.Build();
        Assert.True(first.ExitCode == 0, first.Output + first.Error);
        AssertStartsWith($"packimage {BuildScenario.Image}: ran — not built in this site yet", BuildScenario.LineOf(first, "packimage"));
        Assert.True(File.Exists(scenario.Bundle));

        // When it builds again
        var second = scenario.Build();

        // Then every stage is skipped with its reason, and nothing is written
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"apply {BuildScenario.Image}: skipped — the recipe's rows and files are already in the site", BuildScenario.LineOf(second, "apply"));
        foreach (var stage in new[] { "genimage", "packimage", "imgexport" })
        {
            AssertStartsWith($"{stage} {BuildScenario.Image}: skipped — inputs and outputs unchanged since ", BuildScenario.LineOf(second, stage));
        }
    }

    [Fact]
    public void A_changed_synclist_source_reruns_packimage_and_imgexport_only()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When a file its synclist copies changes
        scenario.Site.WriteFile(BuildScenario.SyncSource, "server ntp2.example.org iburst\n");
        var plan = scenario.Plan();

        // Then the plan reruns packimage, naming the source, and imgexport after it; genimage stays
        AssertStartsWith($"genimage {BuildScenario.Image}: skips — ", BuildScenario.LineOf(plan, "genimage"));
        Assert.Equal($"packimage {BuildScenario.Image}: runs — synclist source {BuildScenario.SyncSource} changed", BuildScenario.LineOf(plan, "packimage"));
        Assert.Equal($"imgexport {BuildScenario.Image}: runs — packimage runs first", BuildScenario.LineOf(plan, "imgexport"));

        // And the build does what the plan said
        var build = scenario.Build();
        Assert.Equal(0, build.ExitCode);
        AssertStartsWith($"genimage {BuildScenario.Image}: skipped", BuildScenario.LineOf(build, "genimage"));
        AssertStartsWith($"packimage {BuildScenario.Image}: ran — synclist source {BuildScenario.SyncSource} changed", BuildScenario.LineOf(build, "packimage"));
        AssertStartsWith($"imgexport {BuildScenario.Image}: ran — packimage output changed, file {BuildScenario.RootImageDirectory}/rootimg.cpio.gz changed; took ", BuildScenario.LineOf(build, "imgexport"));
    }

    [Fact]
    public void A_hand_edit_in_rootimg_reruns_packimage()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When someone edits a file in its rootimg
        scenario.WriteRootFile("etc/hostname", "edited by hand\n");

        // Then packimage runs again, saying the root changed since it packed it
        Assert.Equal(
            $"packimage {BuildScenario.Image}: runs — rootimg {BuildScenario.RootImageDirectory}/rootimg changed since it ran",
            BuildScenario.LineOf(scenario.Plan(), "packimage"));
    }

    [Fact]
    public void Setting_site_secureroot_reruns_packimage()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When the site asks for a secure root
        Assert.Equal(0, scenario.Site.Run("chdef", "-t", "site", "secureroot=1").ExitCode);

        // Then packimage runs again, naming the key
        Assert.Equal($"packimage {BuildScenario.Image}: runs — site.secureroot changed", BuildScenario.LineOf(scenario.Plan(), "packimage"));
    }

    [Fact]
    public void A_postinstall_edit_reruns_genimage_packimage_and_imgexport_naming_the_script()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When the recipe's postinstall step changes (not yet applied)
        scenario.WriteRecipe("two");
        var plan = scenario.Plan();

        // Then genimage runs for the generated postinstall script, and the stages after it follow
        Assert.Equal(
            $"genimage {BuildScenario.Image}: runs — postinstall script /install/custom/netboot/rocky/compute.rocky9.4.x86_64.postinstall changed",
            BuildScenario.LineOf(plan, "genimage"));
        Assert.Equal($"packimage {BuildScenario.Image}: runs — genimage runs first", BuildScenario.LineOf(plan, "packimage"));
        Assert.Equal(
            $"imgexport {BuildScenario.Image}: runs — packimage runs first, postinstall script /install/custom/netboot/rocky/compute.rocky9.4.x86_64.postinstall changed",
            BuildScenario.LineOf(plan, "imgexport"));
    }

    [Fact]
    public void Plan_writes_nothing()
    {
        // Given a built image and an edited recipe
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);
        scenario.WriteRecipe("two");
        var before = Listing(scenario.Site.Directory);

        // When it is planned
        scenario.Plan();

        // Then every file of the site (tables, lists, records) is as it was
        Assert.Equal(before, Listing(scenario.Site.Directory));
    }

    [Fact]
    public void Build_json_is_one_json_object_per_line_and_nothing_else()
    {
        // Given an image to build
        using var scenario = new BuildScenario().WithGenimageDone();

        // When it is built with --json
        var result = scenario.Build("--json");

        // Then every stdout line is a JSON object with the event's fields, and the stages' outcomes are among them
        Assert.Equal(0, result.ExitCode);
        var events = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var e in events)
        {
            foreach (var field in new[] { "stage", "image", "step", "done", "total", "unit", "outcome", "reason" })
            {
                Assert.True(e.TryGetProperty(field, out _), $"{field} missing from {e}");
            }
        }

        var outcomes = events.Where(e => e.GetProperty("outcome").ValueKind == JsonValueKind.String)
            .Select(e => $"{e.GetProperty("stage").GetString()} {e.GetProperty("outcome").GetString()}")
            .ToList();
        Assert.Equal(["apply skipped", "genimage skipped", "packimage runs", "packimage ran", "imgexport runs", "imgexport ran"], outcomes);
    }

    [Fact]
    public void A_failed_stage_leaves_no_record_and_the_next_plan_says_the_last_run_failed()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When the file its synclist copies is deleted and it is built again
        File.Delete(scenario.Site.Map(BuildScenario.SyncSource));
        var build = scenario.Build();

        // Then packimage fails, imgexport does not run, and the build fails
        Assert.Equal(1, build.ExitCode);
        AssertStartsWith($"packimage {BuildScenario.Image}: failed — ", BuildScenario.LineOf(build, "packimage"));
        Assert.Equal($"imgexport {BuildScenario.Image}: skipped — packimage failed", BuildScenario.LineOf(build, "imgexport"));

        // And the next plan runs packimage again because its last run failed, even with the file back
        scenario.Site.WriteFile(BuildScenario.SyncSource, "server ntp.example.org iburst\n");
        AssertStartsWith($"packimage {BuildScenario.Image}: runs — its last run failed (", BuildScenario.LineOf(scenario.Plan(), "packimage"));
    }

    [Fact]
    public void Packimage_refuses_a_root_genimage_did_not_finish()
    {
        // Given a root a failed genimage left
        using var scenario = new BuildScenario().WithGenimageDone();
        scenario.MarkRootUnfinished();

        // When it is packed
        var pack = scenario.Site.Run("packimage", BuildScenario.Image);

        // Then packimage refuses, saying so, and writes no archive
        Assert.Equal(1, pack.ExitCode);
        Assert.Contains($"Error: genimage did not finish building {BuildScenario.RootImageDirectory}/rootimg (genimage started); packimage will not pack it.", pack.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(scenario.Site.Map($"{BuildScenario.RootImageDirectory}/rootimg.cpio.gz")));

        // And a plan reruns genimage, whose root is not finished
        Assert.Equal(
            $"genimage {BuildScenario.Image}: runs — root {BuildScenario.RootImageDirectory}/rootimg changed since it ran",
            BuildScenario.LineOf(scenario.Plan(), "genimage"));
    }

    [Fact]
    public void Force_runs_every_stage()
    {
        // Given a built image
        using var scenario = new BuildScenario().WithGenimageDone();
        Assert.Equal(0, scenario.Build().ExitCode);

        // When it is planned with --force
        var plan = scenario.Plan("--force");

        // Then every stage runs
        Assert.Equal($"genimage {BuildScenario.Image}: runs — --force", BuildScenario.LineOf(plan, "genimage"));
        Assert.Equal($"imgexport {BuildScenario.Image}: runs — --force", BuildScenario.LineOf(plan, "imgexport"));
    }

    [Fact]
    public void A_missing_package_repository_is_named_and_the_other_recipes_are_still_planned()
    {
        // Given the example recipes and a site without the Rocky copycds tree
        using var site = new TempSite();
        var recipes = Path.Combine(RecipeTesting.ExamplesDirectory, "*install*.csx");
        var rocky = Path.Combine(RecipeTesting.ExamplesDirectory, "rocky9-netboot-compute.csx");

        // When they are planned
        var plan = RecipeTesting.Run(site, "plan", rocky, recipes, "--bundles", site.Scratch);

        // Then the Rocky image is blocked, naming its pkgdir, and the SLES image is still planned
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains(
            "build rocky9.4-x86_64-netboot-compute: blocked — missing its package repository /install/rocky9.4/x86_64 (linuximage.pkgdir), which does not exist in the site",
            plan.Output, StringComparison.Ordinal);
        Assert.Contains("imgexport sles15.5-x86_64-install-compute: runs — not built in this site yet", plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_name_that_matches_nothing_is_an_error()
    {
        using var site = new TempSite();
        var result = RecipeTesting.Run(site, "plan", "no-such-dir/*.csx", "missing.csx");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: The recipe pattern no-such-dir/*.csx matches no file.", result.Error, StringComparison.Ordinal);
        Assert.Contains("Error: The recipe missing.csx does not exist", result.Error, StringComparison.Ordinal);
    }

    private static void AssertStartsWith(string expected, string line) =>
        Assert.True(line.StartsWith(expected, StringComparison.Ordinal), $"Expected a line starting with\n  {expected}\nbut got\n  {line}");

    // Every file under the directory with its size and modification time.
    private static List<string> Listing(string directory) =>
        [.. Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(f => $"{f} {new FileInfo(f).Length} {File.GetLastWriteTimeUtc(f).Ticks}")];
}
