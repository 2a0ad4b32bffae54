using XcatImageBuild.Recipes;

namespace XcatImageBuild.Tests.Recipes;

public sealed class RecipeCacheTests
{
    [Fact]
    public void A_recipe_is_compiled_once_and_recompiled_when_a_loaded_script_changes()
    {
        // Given: a private cache and a recipe that loads a fragment
        using var directory = RecipeTesting.NewRecipeDirectory();
        var cache = new RecipeCache(Path.Combine(directory.Path, "cache"));
        directory.Write("lib/base.csx", "const string Pkg = \"bash\";\n");
        var recipe = directory.Write("r.csx", "#load \"lib/base.csx\"\nImage(\"a\").Packages(Pkg);\n");
        var evaluator = new RecipeEvaluator(cache);

        // When: evaluated twice, then once more after the fragment changed
        var first = evaluator.Evaluate(recipe);
        var second = evaluator.Evaluate(recipe);
        directory.Write("lib/base.csx", "const string Pkg = \"zsh\";\n");
        var third = evaluator.Evaluate(recipe);

        // Then
        Assert.True(first.Compiled);
        Assert.False(second.Compiled);
        Assert.Equal(first.Hash, second.Hash);
        Assert.True(third.Compiled);
        Assert.NotEqual(first.Hash, third.Hash);
        Assert.Equal([recipe, Path.Combine(directory.Path, "lib", "base.csx")], first.Scripts);
        Assert.Equal(["zsh"], third.Images[0].Packages[0].Lines);
        Assert.Equal(["bash"], second.Images[0].Packages[0].Lines);
        Assert.Equal(2, Directory.GetFiles(cache.Directory, "*.dll").Length);
    }

    [Fact]
    public void A_corrupt_cache_entry_is_recompiled_instead_of_failing()
    {
        using var directory = RecipeTesting.NewRecipeDirectory();
        var cache = new RecipeCache(Path.Combine(directory.Path, "cache"));
        var recipe = directory.Write("r.csx", "Image(\"a\");\n");
        var hash = new RecipeEvaluator(cache).Evaluate(recipe).Hash;
        File.WriteAllText(Path.Combine(cache.Directory, hash + ".dll"), "not an assembly");

        var again = new RecipeEvaluator(cache).Evaluate(recipe);

        Assert.True(again.Compiled);
        Assert.Equal("a", Assert.Single(again.Images).Name);
    }
}
