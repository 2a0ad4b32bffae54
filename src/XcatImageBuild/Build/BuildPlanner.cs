using System.Globalization;
using XcatImageBuild.Processes;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Build;

/// <summary>
/// Decides, for recipes and a site, which stages of which images run and why: evaluates and checks every recipe,
/// probes every image's package repositories (before anything is built), and compares each stage's inputs and outputs
/// with the record of its last successful run. Writes nothing.
/// </summary>
public sealed class BuildPlanner
{
    private readonly SiteRoot _root;
    private readonly XcatDatabase? _database;
    private readonly string _installDir;
    private readonly RecipeCache _cache;
    private readonly RepositoryProbe _repositories;
    private readonly IProcessRunner _tools;

    /// <param name="root">The site root.</param>
    /// <param name="database">The site's tables, or null when it has none yet.</param>
    /// <param name="installDir">site.installdir.</param>
    /// <param name="cache">The compiled-recipe cache.</param>
    /// <param name="repositories">Reads each repository's metadata once.</param>
    /// <param name="tools">Where the stages' tools are found (their versions are inputs).</param>
    public BuildPlanner(SiteRoot root, XcatDatabase? database, string installDir, RecipeCache cache, RepositoryProbe repositories, IProcessRunner tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(repositories);
        _root = root;
        _database = database;
        _installDir = installDir;
        _cache = cache;
        _repositories = repositories;
        _tools = tools;
    }

    /// <summary>Evaluates and checks the recipes and lays out every image's stages.</summary>
    public BuildPlan Plan(IReadOnlyList<string> recipeFiles)
    {
        ArgumentNullException.ThrowIfNull(recipeFiles);
        var recipes = new List<RecipePlan>();
        var images = new List<ImageBuildPlan>();
        var problems = new List<string>();
        foreach (var file in recipeFiles)
        {
            RecipePlan plan;
            try
            {
                plan = new RecipePlanner(_root, _installDir, _cache).Plan(new RecipeEvaluator(_cache).Evaluate(file));
            }
            catch (XcatException e)
            {
                problems.Add(e.Message);
                continue;
            }

            recipes.Add(plan);
            if (plan.Problems.Count > 0)
            {
                problems.Add(RecipeProblems(plan));
                continue;
            }

            foreach (var image in plan.Images)
            {
                var snapshot = ImageSnapshot.Planned(image, _root, _database, _installDir);
                images.Add(new ImageBuildPlan(image, snapshot, StagesOf(image.Definition.ProvMethod), _repositories.Problems(snapshot)));
            }
        }

        return new BuildPlan(recipes, images, problems);
    }

    /// <summary>
    /// Whether <paramref name="stage"/> runs on the image: with <c>--force</c>; when it has no record (never run, or
    /// its last run failed); when an input or output changed since its record; or when <paramref name="upstream"/>,
    /// the stage before it, runs first.
    /// </summary>
    public static StageDecision Decide(BuildStage stage, ImageSnapshot image, BuildSettings settings, string? upstream = null)
    {
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Force)
        {
            return new StageDecision(stage.Name, image.Name, true, ["--force"]);
        }

        var record = StageRecord.Load(image.Root, image.Name, stage.Name);
        if (record is null)
        {
            var failure = StageRecord.LastFailure(image.Root, image.Name, stage.Name);
            return new StageDecision(stage.Name, image.Name, true, [failure is null ? "not built in this site yet" : $"its last run failed ({FirstLine(failure)})"]);
        }

        var reasons = new List<string>();
        if (upstream is not null)
        {
            reasons.Add($"{upstream} runs first");
        }

        reasons.AddRange(stage.Inputs(image, settings).ChangesSince(record.Inputs));
        reasons.AddRange(stage.Outputs(image, settings).ChangesSince(record.Outputs, "changed since it ran"));
        return reasons.Count > 0
            ? new StageDecision(stage.Name, image.Name, true, reasons)
            : new StageDecision(stage.Name, image.Name, false, [$"inputs and outputs unchanged since {record.Finished.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)}"]);
    }

    /// <summary>The decisions for every stage of an image, each later one running when an earlier one does.</summary>
    public static IReadOnlyList<StageDecision> DecideAll(ImageBuildPlan image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        var decisions = new List<StageDecision>();
        string? upstream = null;
        foreach (var stage in settings.Select(image.Stages))
        {
            var decision = Decide(stage, image.Snapshot, settings, stage.Previous is not null ? upstream : null);
            decisions.Add(decision);
            upstream = decision.Runs ? stage.Name : null;
        }

        return decisions;
    }

    private IReadOnlyList<BuildStage> StagesOf(string? provMethod) => provMethod switch
    {
        "netboot" => [new GenimageBuildStage(_repositories, _tools), new PackimageBuildStage(), new ImgexportBuildStage("packimage")],
        "statelite" => [new GenimageBuildStage(_repositories, _tools), new LiteimgBuildStage(), new ImgexportBuildStage("liteimg")],
        _ => [new ImgexportBuildStage(previous: null)],
    };

    private static string RecipeProblems(RecipePlan plan)
    {
        try
        {
            plan.ThrowIfInvalid();
            return string.Empty;
        }
        catch (XcatException e)
        {
            return e.Message;
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}
