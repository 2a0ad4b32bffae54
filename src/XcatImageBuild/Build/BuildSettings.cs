namespace XcatImageBuild.Build;

/// <summary>What a build or plan is asked for, shared by every stage.</summary>
public sealed record BuildSettings
{
    /// <summary>Where bundles are written (on disk).</summary>
    public required string BundleDirectory { get; init; }

    /// <summary><c>--force</c>: run every stage whatever its record says.</summary>
    public bool Force { get; init; }

    /// <summary>SOURCE_DATE_EPOCH for genimage, packimage and imgexport, or null.</summary>
    public long? SourceDateEpoch { get; init; }
}
