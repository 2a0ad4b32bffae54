namespace XcatImageBuild.Genimage;

/// <summary>What <c>genimage</c> is asked to do: the image and the command-line options that change a build (xcat-spec §3.1).</summary>
/// <param name="ImageName">The osimage to build (its osimage and linuximage rows).</param>
public sealed record GenimageOptions(string ImageName)
{
    /// <summary><c>--noupdate</c>: do not update the packages already in the image after the passes.</summary>
    public bool NoUpdate { get; init; }

    /// <summary><c>-k</c>: the kernel version to use; written back to linuximage.kernelver when it differs.</summary>
    public string? KernelVersion { get; init; }

    /// <summary><c>-n</c>: comma-separated drivers for the initrd; written back to linuximage.netdrivers.</summary>
    public string? NetDrivers { get; init; }

    /// <summary><c>--onlyinitrd</c>: rebuild the kernel copy and the initrd of an existing root image only.</summary>
    public bool OnlyInitrd { get; init; }

    /// <summary><c>--dryrun</c>: say what would be built (<see cref="GenimageResult.Plan"/>) and change nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c>: when set, the root is made reproducible (caches, logs and per-build identities removed,
    /// mtimes clamped to this time) and dracut builds a reproducible initrd.
    /// </summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>
    /// The digest of everything the package passes read, set by a build. With it, genimage keeps the root as it stood
    /// after the package passes (<see cref="RootCache"/>) and starts a later run with the same key from that copy: only
    /// the postinstall scripts and what follows run again. When the key differs, the root is built afresh rather than
    /// updated in place, so what a build produces depends on its inputs and not on earlier builds. Null (a plain
    /// genimage): the root is updated in place, as xCAT does.
    /// </summary>
    public string? PackagesKey { get; init; }

    /// <summary>
    /// The environment genimage runs in (the command line's): the values of <c>${VAR}</c> in package list includes,
    /// under the image's own osimage.environvar settings.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
