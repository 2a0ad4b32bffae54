namespace XcatImageBuild.Diff;

/// <summary>
/// Everything imgdiff compares about one image, however it was found (a bundle, a registry artifact, an image in the
/// site): its table rows, its list files, its kernel and initrd, the files of its root image and its SBOM's packages.
/// </summary>
public sealed class ImageContents
{
    /// <summary>Where it was read from, as the user named it.</summary>
    public required string Source { get; init; }

    /// <summary>The image's name.</summary>
    public required string Name { get; init; }

    /// <summary>The non-empty osimage and linuximage columns, as <c>osimage.profile</c>, <c>linuximage.pkglist</c>...</summary>
    public SortedDictionary<string, string> Rows { get; } = new(StringComparer.Ordinal);

    /// <summary>The list files the rows name (pkglist, otherpkglist, exlist, synclists, postinstall), by column and file name.</summary>
    public SortedDictionary<string, string> Lists { get; } = new(StringComparer.Ordinal);

    /// <summary>The kernel's and initrd's SHA-256, by their file names.</summary>
    public SortedDictionary<string, string> Boot { get; } = new(StringComparer.Ordinal);

    /// <summary>The root image's files by absolute path; empty when the image has no packed root.</summary>
    public Dictionary<string, RootFile> Files { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A bundle's own members by name (<c>IMAGE/FILE</c>): kind, mode, owner, size, time and SHA-256 as the bundle's tar
    /// records them; empty for an image read from the site.
    /// </summary>
    public SortedDictionary<string, RootFile> Members { get; } = new(StringComparer.Ordinal);

    /// <summary>The root archive's file name, or null when there is none.</summary>
    public string? RootArchive { get; set; }

    /// <summary>The SBOM's packages, <c>name</c> (with <c>:arch</c> when the purl names one) to version; null without an SBOM.</summary>
    public SortedDictionary<string, string>? Packages { get; set; }

    /// <summary>The list columns whose files travel with an image.</summary>
    public static IReadOnlyList<string> ListColumns { get; } = ["pkglist", "otherpkglist", "exlist", "synclists", "postinstall", "template"];
}
