using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

public sealed class RecipeShowChangesTests
{
    [Fact]
    public void Recipe_show_names_the_changed_columns_and_prints_a_diff_of_each_changed_file()
    {
        // Given an applied recipe whose postinstall step and netdrivers are then edited
        using var scenario = new BuildScenario();
        Assert.Equal(0, RecipeTesting.Run(scenario.Site, "recipe", "apply", scenario.Recipe).ExitCode);
        var recipe = scenario.WriteRecipe("two");
        File.WriteAllText(recipe, File.ReadAllText(recipe).Replace(".Netboot()", ".Netboot().NetDrivers([\"virtio_net\"])", StringComparison.Ordinal));

        // When it is shown
        var show = RecipeTesting.Run(scenario.Site, "recipe", "show", recipe);

        // Then the changed column is named old → new, and the generated script's diff is printed under it
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("  changes:\n    linuximage.netdrivers: (unset) → virtio_net\n", show.Output, StringComparison.Ordinal);
        Assert.Contains(": changed\n      @@ -", show.Output, StringComparison.Ordinal);
        Assert.Contains("      -echo one > \"$1/etc/marker\"\n      +echo two > \"$1/etc/marker\"\n", show.Output, StringComparison.Ordinal);
    }
}
