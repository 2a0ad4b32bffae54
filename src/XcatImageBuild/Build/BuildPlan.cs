using XcatImageBuild.Recipes;

namespace XcatImageBuild.Build;

/// <summary>What a build of some recipes would do: every recipe's plan, every image's stages, and what stops any.</summary>
public sealed class BuildPlan
{
    internal BuildPlan(IReadOnlyList<RecipePlan> recipes, IReadOnlyList<ImageBuildPlan> images, IReadOnlyList<string> problems)
    {
        Recipes = recipes;
        Images = images;
        Problems = problems;
    }

    /// <summary>The recipes that could be evaluated, each with its own problems (a recipe with any is not built).</summary>
    public IReadOnlyList<RecipePlan> Recipes { get; }

    /// <summary>The images of the recipes without problems.</summary>
    public IReadOnlyList<ImageBuildPlan> Images { get; }

    /// <summary>Recipe paths that match nothing, recipes that do not compile or have problems: each one line.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether anything keeps a recipe or an image from being built.</summary>
    public bool HasProblems => Problems.Count > 0 || Images.Any(i => i.Problems.Count > 0);
}
