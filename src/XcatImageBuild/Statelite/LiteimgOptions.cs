namespace XcatImageBuild.Statelite;

/// <summary>What <c>liteimg</c> is asked to do.</summary>
/// <param name="ImageName">The statelite osimage.</param>
public sealed record LiteimgOptions(string ImageName)
{
    /// <summary><c>-V</c>: print each change to the root as it is made.</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// SOURCE_DATE_EPOCH for the ramdisk form: mtimes clamped to it, IMAGEUUID derived from the content, TIMESTAMP from
    /// it; null for a fresh UUID and the current time, as xCAT does.
    /// </summary>
    public long? SourceDateEpoch { get; init; }
}
