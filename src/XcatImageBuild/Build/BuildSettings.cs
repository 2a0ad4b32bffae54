namespace XcatImageBuild.Build;

/// <summary>What a build or plan is asked for, shared by every stage.</summary>
public sealed record BuildSettings
{
    /// <summary>Where bundles are written (on disk).</summary>
    public required string BundleDirectory { get; init; }

    /// <summary><c>--force</c>: run every stage whatever its record says.</summary>
    public bool Force { get; init; }

    /// <summary><c>--until STAGE</c>: stop each image after this stage (genimage, packimage, imgexport), or null for all.</summary>
    public string? Until { get; init; }

    /// <summary>The stages of an image this build runs: all of them, or those up to <see cref="Until"/>.</summary>
    public IReadOnlyList<BuildStage> Select(IReadOnlyList<BuildStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var index = Until is null ? -1 : stages.ToList().FindIndex(s => s.Name == Until);
        return index < 0 ? stages : [.. stages.Take(index + 1)];
    }

    /// <summary>
    /// <c>--only IMAGE:STAGE</c>: build only these steps (<c>apply</c>, <c>genimage</c>, <c>packimage</c>,
    /// <c>liteimg</c>, <c>imgexport</c>) of these images, each still run only when its inputs changed; null for every step of every
    /// image.
    /// </summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>The stages of an image this build runs: <see cref="Select(IReadOnlyList{BuildStage})"/>, then those <see cref="Only"/> names.</summary>
    public IReadOnlyList<BuildStage> Select(string image, IReadOnlyList<BuildStage> stages) =>
        Only is null ? Select(stages) : [.. Select(stages).Where(s => Only.Contains(OnlyKey(image, s.Name)))];

    /// <summary>Whether this build touches the image at all: applies its recipe, checks its repositories, reports it.</summary>
    public bool Selects(string image) => Only is null || Only.Any(o => o.StartsWith(image + ":", StringComparison.Ordinal));

    /// <summary>How <see cref="Only"/> names one step of an image.</summary>
    public static string OnlyKey(string image, string stage) => $"{image}:{stage}";

    /// <summary>
    /// <c>--boottest NODE</c>: once a diskless image's stages have run, set the node to it (nodeset) and boot it in qemu
    /// (boottest); null for no boot test.
    /// </summary>
    public string? BootTestNode { get; init; }

    /// <summary>How the boot test boots the node.</summary>
    public Boottest.BoottestOptions BootTest { get; init; } = new();

    /// <summary><c>--sign KEYFILE</c>: the minisign secret key imgexport signs every bundle with (on disk), or null.</summary>
    public string? SigningKey { get; init; }

    /// <summary>SOURCE_DATE_EPOCH for genimage, packimage and imgexport, or null.</summary>
    public long? SourceDateEpoch { get; init; }
}
