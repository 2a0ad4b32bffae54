using System.Globalization;
using XcatImageBuild.Diff;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// <c>xcatimg build --check-reproducible</c>: builds the recipes in the site, then every image once more from the same
/// inputs in a scratch site (<see cref="ScratchSite"/>, removed afterwards), and compares the two bundles of each image
/// byte for byte. Every file whose bytes differ is reported with its likely cause (<see cref="DifferenceCause"/>).
/// </summary>
public sealed class ReproducibilityCheck
{
    private const string Stage = "reproducible";
    private readonly XcatSite _site;
    private readonly BuildSettings _settings;
    private readonly IProgressSink _progress;
    private readonly Func<IProgressSink, IProcessRunner> _runnerFor;
    private readonly RecipeCache _recipeCache;

    /// <param name="site">The site to build in.</param>
    /// <param name="settings">What the first build is asked for; the second always runs every stage and no boot test.</param>
    /// <param name="progress">Receives both builds' lines and the check's.</param>
    /// <param name="runnerFor">The process runner a stage's tools run through, given where its output goes.</param>
    /// <param name="recipeCache">Where compiled recipes are cached.</param>
    public ReproducibilityCheck(XcatSite site, BuildSettings settings, IProgressSink progress, Func<IProgressSink, IProcessRunner> runnerFor, RecipeCache recipeCache)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(runnerFor);
        ArgumentNullException.ThrowIfNull(recipeCache);
        _site = site;
        _settings = settings;
        _progress = progress;
        _runnerFor = runnerFor;
        _recipeCache = recipeCache;
    }

    /// <summary>Builds the recipes twice and compares the bundles.</summary>
    /// <returns>0 when both builds succeeded and every image's two bundles are byte-identical; 1 otherwise.</returns>
    /// <exception cref="XcatException">Another build holds the site, or the scratch site cannot be made.</exception>
    public int Run(IReadOnlyList<string> recipeFiles)
    {
        ArgumentNullException.ThrowIfNull(recipeFiles);
        using var buildLock = BuildLock.Acquire(_site);
        var first = new BuildRunner(_site, _settings, _progress, _runnerFor, _recipeCache);
        var failed = first.RunLocked(recipeFiles) != 0;
        var images = first.Completed.Where(name => File.Exists(BundlePath(_settings, name))).ToList();
        if (images.Count == 0)
        {
            _progress.Report(ProgressEvent.StageOutcome(Stage, string.Empty, "failed", "no image was built into a bundle, so there is nothing to compare"));
            return 1;
        }

        using var scratch = ScratchSite.Create(_site);
        var settings = _settings with
        {
            BundleDirectory = scratch.Site.Map("/var/lib/xcatimg/bundles"),
            Force = true,
            BootTestNode = null,
        };
        _progress.Info($"Building {string.Join(", ", images)} again in the scratch site {scratch.Site.Root.Directory}.");
        var second = new BuildRunner(scratch.Site, settings, new SecondBuildProgress(_progress), _runnerFor, _recipeCache);
        using (BuildLock.Acquire(scratch.Site))
        {
            second.RunLocked(recipeFiles);
        }

        foreach (var image in images)
        {
            failed |= !Compare(image, second.Completed.Contains(image), BundlePath(settings, image), scratch.Site);
        }

        return failed ? 1 : 0;
    }

    private bool Compare(string image, bool built, string secondBundle, XcatSite scratch)
    {
        if (!built || !File.Exists(secondBundle))
        {
            _progress.Report(ProgressEvent.StageOutcome(Stage, image, "failed", "the second build did not finish, so there is nothing to compare"));
            return false;
        }

        var bundle = BundlePath(_settings, image);
        var differences = ReproducibilityDiff.Compare(bundle, secondBundle, [scratch.Root.Directory, _site.Root.Directory], _runnerFor(_progress));
        if (differences.Count == 0)
        {
            _progress.Report(ProgressEvent.StageOutcome(Stage, image, "ran", $"the two builds' bundles are byte-identical ({Path.GetFileName(bundle)})"));
            return true;
        }

        foreach (var difference in differences)
        {
            _progress.Report(ProgressEvent.StageOutcome(Stage, image, "differs", difference.ToString()) with { Path = difference.Path, Likely = difference.Likely });
        }

        var causes = differences.GroupBy(d => d.Likely).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Count()} {g.Key}"));
        _progress.Report(ProgressEvent.StageOutcome(
            Stage, image, "failed", string.Create(CultureInfo.InvariantCulture, $"{differences.Count} files differ between the two builds' bundles ({string.Join(", ", causes)})")));
        return false;
    }

    private static string BundlePath(BuildSettings settings, string image) => Path.Combine(Path.GetFullPath(settings.BundleDirectory), $"{image}.tgz");

    // The second build's stage lines name it, so they are not mistaken for the first build's.
    private sealed class SecondBuildProgress(IProgressSink inner) : IProgressSink
    {
        public void Report(ProgressEvent progress) => inner.Report(progress with { Stage = "second " + progress.Stage });

        public void Info(string message) => inner.Info(message);

        public void Warning(string message) => inner.Warning(message);
    }
}
