namespace XcatImageBuild.Recipes;

/// <summary>
/// A recipe resolved against a site: every image's rows and files, or the problems that stop it from being applied.
/// </summary>
public sealed class RecipePlan
{
    internal RecipePlan(
        RecipeEvaluation evaluation,
        IReadOnlyList<PlannedImage> images,
        IReadOnlyList<RecipeProblem> problems,
        IReadOnlyList<RecipeProblem> warnings)
    {
        Evaluation = evaluation;
        Images = images;
        Problems = problems;
        Warnings = warnings;
    }

    public RecipeEvaluation Evaluation { get; }

    /// <summary>The images that could be resolved; complete only when <see cref="Problems"/> is empty.</summary>
    public IReadOnlyList<PlannedImage> Images { get; }

    /// <summary>Everything wrong with the recipe; apply writes nothing while there is any.</summary>
    public IReadOnlyList<RecipeProblem> Problems { get; }

    /// <summary>Things worth knowing that do not stop apply (a sync source not yet in the site).</summary>
    public IReadOnlyList<RecipeProblem> Warnings { get; }

    /// <summary>Fails with every problem, each as <c>file:line: message</c>, when there is any.</summary>
    /// <param name="workingDirectory">The directory the recipe was named from, which the message shows it relative to; without it, the full path.</param>
    /// <exception cref="XcatException">The recipe has problems.</exception>
    public void ThrowIfInvalid(string? workingDirectory = null)
    {
        if (Problems.Count == 0)
        {
            return;
        }

        var directory = Evaluation.RecipeDirectory;
        throw XcatException.FromMany(
            [
                $"The recipe {(workingDirectory is null ? Evaluation.RecipeFile : SourceLocation.ShowFile(Evaluation.RecipeFile, workingDirectory))} has {Problems.Count} problem(s); nothing was written:",
                .. Problems.Select(p => p.Describe(directory)),
            ]);
    }
}
