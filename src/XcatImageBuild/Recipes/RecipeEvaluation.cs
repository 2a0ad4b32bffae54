namespace XcatImageBuild.Recipes;

/// <summary>What running a recipe produced: the images it described and the scripts it consisted of.</summary>
public sealed class RecipeEvaluation
{
    internal RecipeEvaluation(string recipeFile, IReadOnlyList<string> scripts, string hash, bool compiled, IReadOnlyList<ImageDefinition> images)
    {
        RecipeFile = recipeFile;
        Scripts = scripts;
        Hash = hash;
        Compiled = compiled;
        Images = images;
    }

    /// <summary>The recipe (absolute path).</summary>
    public string RecipeFile { get; }

    /// <summary>The directory messages and listings show paths relative to.</summary>
    public string RecipeDirectory => Path.GetDirectoryName(RecipeFile)!;

    /// <summary>The recipe and every script it loads.</summary>
    public IReadOnlyList<string> Scripts { get; }

    /// <summary>The content hash of the scripts (the cache key).</summary>
    public string Hash { get; }

    /// <summary>Whether this evaluation had to compile (false: the cached assembly was used).</summary>
    public bool Compiled { get; }

    /// <summary>The images in the order the recipe described them.</summary>
    public IReadOnlyList<ImageDefinition> Images { get; }
}
