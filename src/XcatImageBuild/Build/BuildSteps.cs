using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Build;

/// <summary>
/// One step of a build as <c>xcatimg plan --tasks</c> lists it, so a driver such as Cake can run each step on its own
/// (<c>xcatimg build RECIPE --only IMAGE:STAGE</c>) and show the ones that do not run with their reason.
/// </summary>
/// <param name="Stage"><c>apply</c>, a stage (<c>genimage</c>, <c>packimage</c>, <c>liteimg</c>, <c>imgexport</c>), <c>build</c> for an image that is blocked, or <c>recipe</c> for a recipe's problems.</param>
/// <param name="Image">The osimage; empty for a recipe's problems.</param>
/// <param name="Outcome"><c>runs</c>, <c>skips</c> or <c>blocked</c> (a repository is missing, the recipe has problems).</param>
/// <param name="Recipe">The recipe file that defines the image; empty for a recipe that could not be evaluated.</param>
/// <param name="Reason">Why, as <c>plan</c> says it.</param>
public sealed record BuildStep(string Stage, string Image, string Outcome, string Recipe, string Reason)
{
    /// <summary>The step as one line: its five fields separated by tabs, the reason's own line breaks and tabs made <c>; </c> and spaces.</summary>
    public string Line => string.Join('\t', Stage, Image, Outcome, Recipe, Flat(Reason));

    /// <summary>Every step a build of the plan would take, in the order it takes them.</summary>
    /// <param name="plan">The plan of the recipes.</param>
    /// <param name="root">The site root the recipes apply to.</param>
    /// <param name="database">The site's tables, or null when there is no site yet (then everything runs).</param>
    /// <param name="settings">--force and --until.</param>
    public static IReadOnlyList<BuildStep> Of(BuildPlan plan, SiteRoot root, XcatDatabase? database, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(settings);
        var steps = new List<BuildStep>();
        steps.AddRange(plan.Problems.Select(p => new BuildStep("recipe", string.Empty, "blocked", string.Empty, p)));
        foreach (var recipe in plan.Recipes.Where(r => r.Problems.Count == 0))
        {
            var file = recipe.Evaluation.RecipeFile;
            foreach (var image in plan.Images.Where(i => recipe.Images.Contains(i.Planned)))
            {
                steps.Add(Apply(image.Planned, file, root, database));
                if (image.Problems.Count > 0)
                {
                    steps.Add(new BuildStep("build", image.Name, "blocked", file, string.Join("; ", image.Problems)));
                    continue;
                }

                steps.AddRange(BuildPlanner.DecideAll(image, settings).Select(d => new BuildStep(d.Stage, d.Image, d.Runs ? "runs" : "skips", file, d.Reason)));
            }
        }

        return steps;
    }

    // recipe apply of the image: what it would write, named as build names it when it writes it.
    private static BuildStep Apply(PlannedImage image, string recipe, SiteRoot root, XcatDatabase? database)
    {
        var changes = image.Files
            .Select(f => (Name: f.LogicalPath, Change: RecipeApplier.Compare(root, f)))
            .Append((Name: $"osimage {image.Name}", Change: database is null ? FileChange.New : RecipeApplier.Compare(database, image)))
            .Where(c => c.Change != FileChange.Unchanged)
            .Select(c => $"{c.Name} {c.Change.ToString().ToLowerInvariant()}")
            .ToList();
        return changes.Count == 0
            ? new BuildStep("apply", image.Name, "skips", recipe, "the recipe's rows and files are already in the site")
            : new BuildStep("apply", image.Name, "runs", recipe, string.Join(", ", changes));
    }

    private static string Flat(string text) =>
        string.Join("; ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Replace('\t', ' ');
}
