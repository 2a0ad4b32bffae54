using XcatImageBuild.Recipes;

namespace XcatImageBuild.Build;

/// <summary>One image of a build: its stages in order, or the problems that keep it from being built.</summary>
public sealed class ImageBuildPlan
{
    internal ImageBuildPlan(PlannedImage planned, ImageSnapshot snapshot, IReadOnlyList<BuildStage> stages, IReadOnlyList<string> problems)
    {
        Planned = planned;
        Snapshot = snapshot;
        Stages = stages;
        Problems = problems;
    }

    public string Name => Planned.Name;

    /// <summary>The image as its recipe defines it.</summary>
    public PlannedImage Planned { get; }

    /// <summary>The image as its stages will read it once the recipe is applied.</summary>
    public ImageSnapshot Snapshot { get; }

    /// <summary>The stages, by provmethod: netboot genimage → packimage → imgexport; statelite genimage → liteimg → imgexport; install imgexport.</summary>
    public IReadOnlyList<BuildStage> Stages { get; }

    /// <summary>Why the image cannot be built (a repository missing), found before anything is built.</summary>
    public IReadOnlyList<string> Problems { get; }
}
