using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Boottest;
using XcatImageBuild.Nodeset;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// <c>xcatimg build</c>: for every image of the recipes, <c>recipe apply</c>, then its stages by provmethod, each run
/// only when an input or output changed since its last successful run. Every stage reports one outcome line (ran,
/// skipped, failed, stopped) with its reason. A failed stage leaves no record and stops its image's later stages; the
/// other images go on.
/// </summary>
public sealed class BuildRunner
{
    private readonly XcatSite _site;
    private readonly BuildSettings _settings;
    private readonly IProgressSink _progress;
    private readonly Func<IProgressSink, IProcessRunner> _runnerFor;
    private readonly RecipeCache _recipeCache;
    private readonly List<string> _completed = [];

    /// <param name="site">The site to build in.</param>
    /// <param name="settings">The bundle directory, --force and the clock.</param>
    /// <param name="progress">Receives the stage lines and every stage's own output.</param>
    /// <param name="runnerFor">The process runner a stage's tools run through, given where its output goes.</param>
    /// <param name="recipeCache">Where compiled recipes are cached.</param>
    public BuildRunner(XcatSite site, BuildSettings settings, IProgressSink progress, Func<IProgressSink, IProcessRunner> runnerFor, RecipeCache recipeCache)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(runnerFor);
        ArgumentNullException.ThrowIfNull(recipeCache);
        _recipeCache = recipeCache;
        _site = site;
        _settings = settings;
        _progress = progress;
        _runnerFor = runnerFor;
    }

    /// <summary>The images whose every stage ran or was up to date in the last <see cref="Run"/>, in build order.</summary>
    public IReadOnlyList<string> Completed => _completed;

    /// <summary>Builds the recipes.</summary>
    /// <returns>0 when every image of every recipe was built or was already up to date; 1 otherwise.</returns>
    /// <exception cref="XcatException">Another build holds the site.</exception>
    public int Run(IReadOnlyList<string> recipeFiles)
    {
        ArgumentNullException.ThrowIfNull(recipeFiles);
        using var buildLock = BuildLock.Acquire(_site);
        return RunLocked(recipeFiles);
    }

    /// <summary>Builds the recipes in a site whose build lock the caller holds.</summary>
    internal int RunLocked(IReadOnlyList<string> recipeFiles)
    {
        _completed.Clear();
        using var repositories = new RepositoryProbe();
        var plan = new BuildPlanner(_site.Root, _site.Database, _site.InstallDir, _recipeCache, repositories, _runnerFor(_progress)).Plan(recipeFiles);
        CheckOnly(plan);
        var failed = false;
        foreach (var problem in plan.Problems)
        {
            _progress.Report(ProgressEvent.StageOutcome("recipe", string.Empty, "failed", problem));
            failed = true;
        }

        foreach (var image in plan.Images.Where(i => i.Problems.Count > 0 && _settings.Select(i.Name, i.Stages).Count > 0))
        {
            _progress.Report(ProgressEvent.StageOutcome("build", image.Name, "blocked", string.Join("; ", image.Problems)));
            failed = true;
        }

        foreach (var recipe in plan.Recipes.Where(r => r.Problems.Count == 0 && r.Images.Any(i => _settings.Selects(i.Name))))
        {
            Apply(recipe);
            foreach (var image in plan.Images.Where(i => i.Problems.Count == 0 && recipe.Images.Contains(i.Planned) && _settings.Selects(i.Name)))
            {
                failed |= !Build(image);
            }
        }

        return failed ? 1 : 0;
    }

    // --only names steps of images the recipes define.
    private void CheckOnly(BuildPlan plan)
    {
        var unknown = _settings.Only?
            .Where(o => !plan.Images.Any(i => o.StartsWith(i.Name + ":", StringComparison.Ordinal) && (o == BuildSettings.OnlyKey(i.Name, "apply") || i.Stages.Any(s => o == BuildSettings.OnlyKey(i.Name, s.Name)))))
            .Order(StringComparer.Ordinal)
            .ToList() ?? [];
        if (unknown.Count > 0 && plan.Problems.Count == 0)
        {
            throw new XcatException(
                $"--only {string.Join(", ", unknown)}: no image of the recipes has that step (an image's steps: apply, then its stages by provmethod).");
        }
    }

    private void Apply(RecipePlan recipe)
    {
        var result = new RecipeApplier(_site, _progress).Apply(recipe);
        var changes = result.Files.Where(f => f.Change != FileChange.Unchanged)
            .Select(f => $"{f.LogicalPath} {f.Change.ToString().ToLowerInvariant()}")
            .Concat(result.Images.Where(i => i.Change != FileChange.Unchanged).Select(i => $"osimage {i.Name} {i.Change.ToString().ToLowerInvariant()}"))
            .ToList();
        foreach (var image in recipe.Images)
        {
            _progress.Report(changes.Count == 0
                ? ProgressEvent.StageOutcome("apply", image.Name, "skipped", "the recipe's rows and files are already in the site")
                : ProgressEvent.StageOutcome("apply", image.Name, "ran", string.Join(", ", changes)));
        }
    }

    // Each stage is decided just before it runs, so it sees what the stage before it has just left.
    private bool Build(ImageBuildPlan plan)
    {
        var image = ImageSnapshot.Planned(plan.Planned, _site.Root, _site.Database, _site.InstallDir);
        string? failedStage = null;
        var stages = _settings.Select(plan.Name, plan.Stages);
        foreach (var stage in stages)
        {
            if (failedStage is not null)
            {
                _progress.Report(ProgressEvent.StageOutcome(stage.Name, image.Name, "skipped", $"{failedStage} failed"));
                continue;
            }

            var decision = BuildPlanner.Decide(stage, image, _settings);
            if (!decision.Runs)
            {
                _progress.Report(ProgressEvent.StageOutcome(stage.Name, image.Name, "skipped", decision.Reason));
                continue;
            }

            if (!RunStage(stage, image, decision))
            {
                failedStage = stage.Name;
            }
        }

        if (failedStage is null && _settings.BootTestNode is { } node && image.ProvMethod is "netboot" or "statelite")
        {
            if (!BootTest(image, node))
            {
                return false;
            }
        }

        if (failedStage is null && stages.Count == plan.Stages.Count)
        {
            _completed.Add(image.Name);
        }

        return failedStage is null;
    }

    // The last step of a diskless image, asked for with --boottest: the node takes the image and boots it.
    private bool BootTest(ImageSnapshot image, string node)
    {
        _progress.Report(ProgressEvent.StageOutcome("boottest", image.Name, "runs", $"--boottest {node}"));
        var sink = new ImageProgress(_progress, image.Name);
        try
        {
            foreach (var line in new NodesetStage(_site, sink).Run(node, $"osimage={image.Name}").Lines)
            {
                sink.Info(line);
            }

            var result = new BoottestStage(_site, _runnerFor(sink), sink).Run(node, _settings.BootTest);
            _progress.Report(ProgressEvent.StageOutcome(
                "boottest", image.Name, "ran", string.Create(CultureInfo.InvariantCulture, $"{node} booted it in {result.Elapsed.TotalSeconds:F0} s: {result.Marker}")));
            return true;
        }
        catch (Exception e) when (e is XcatException or IOException or UnauthorizedAccessException)
        {
            _progress.Report(ProgressEvent.StageOutcome("boottest", image.Name, "failed", e.Message));
            return false;
        }
    }

    private bool RunStage(BuildStage stage, ImageSnapshot image, StageDecision decision)
    {
        _progress.Report(ProgressEvent.StageOutcome(stage.Name, image.Name, "runs", decision.Reason));
        var clock = Stopwatch.StartNew();
        StageRecord.Forget(image.Root, image.Name, stage.Name);
        var sink = new ImageProgress(_progress, image.Name);
        try
        {
            stage.Run(image, _settings, _site, _runnerFor(sink), sink);
        }
        catch (Exception e) when (e is XcatException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            StageRecord.MarkFailed(image.Root, image.Name, stage.Name, e.Message);
            _progress.Report(ProgressEvent.StageOutcome(stage.Name, image.Name, "failed", e.Message));
            return false;
        }

        // Recorded as the stage left them: packimage changes the root it reads (xcatpost, xcatinfo, shadow, synclists),
        // and the next build compares against that state, not the one before this run.
        new StageRecord
        {
            Stage = stage.Name,
            Image = image.Name,
            Finished = DateTimeOffset.UtcNow,
            DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
            Inputs = stage.Inputs(image, _settings).Values,
            Outputs = stage.Outputs(image, _settings).Values,
        }.Save(image.Root);
        _progress.Report(ProgressEvent.StageOutcome(
            stage.Name, image.Name, "ran", string.Create(CultureInfo.InvariantCulture, $"{decision.Reason}; took {clock.Elapsed.TotalSeconds:F1} s")));
        return true;
    }
}
