namespace XcatImageBuild.Lists;

/// <summary>
/// One item of an expanded pkglist, in list order, with the pass it belongs to and the file it came from.
/// </summary>
/// <param name="Kind">What the item asks for.</param>
/// <param name="Pass">The install pass, numbered from 1 (xcat-spec §3.2).</param>
/// <param name="Value">
/// The package name (its basename; <c>@group</c> kept as written), the <c>K=V</c> of an environment setting, or empty
/// for <see cref="PackageListEntryKind.NewPass"/>.
/// </param>
/// <param name="Directory">
/// The directory part of <c>dir/pkg</c> (<c>.</c> for a plain name): for other packages, the repository subdirectory
/// under otherpkgdir. Removals keep xCAT's <c>PRE_REMOVE</c>/<c>POST_REMOVE</c> grouping and report <c>.</c> here.
/// </param>
/// <param name="SourceFile">The list file (logical path) the item was read from.</param>
public sealed record PackageListEntry(PackageListEntryKind Kind, int Pass, string Value, string Directory, string SourceFile)
{
    /// <summary>Whether this is a package group (<c>@name</c>), which dnf and yum need quoted.</summary>
    public bool IsGroup => Kind == PackageListEntryKind.Install && Value.StartsWith('@');

    /// <summary>The item as it would be written back into a pkglist.</summary>
    public string ToListLine() => Kind switch
    {
        PackageListEntryKind.Install => Directory == "." ? Value : $"{Directory}/{Value}",
        PackageListEntryKind.PreRemove => "-" + Value,
        PackageListEntryKind.PostRemove => "--" + Value,
        PackageListEntryKind.Environment => $"#ENV:{Value}#",
        PackageListEntryKind.NewPass => "#NEW_INSTALL_LIST#",
        _ => throw new InvalidOperationException($"Unknown pkglist entry kind {Kind}."),
    };
}
