using XcatImageBuild.Distributions;

namespace XcatImageBuild.Media;

/// <summary>
/// Names a distribution media from its own metadata files, with the rules of xCAT's copycds plugins
/// (xcat-spec §9): <c>.discinfo</c> and <c>.treeinfo</c> for the RHEL family, <c>media.1/media</c>,
/// <c>media.1/products</c>, <c>content</c> or <c>.treeinfo</c> for SUSE, <c>.disk/info</c> for Debian and Ubuntu.
/// No table of known media ids is needed: the name comes from the description the media carries, so a new point
/// release is named without an update (xCAT's <c>discinfo.pm</c> needed one for each; xcat-spec §9, "Pain").
/// </summary>
public static partial class MediaDetector
{
    /// <summary>The metadata files a media is identified by, relative to its top directory.</summary>
    public static readonly IReadOnlyList<string> MetadataFiles =
        [".discinfo", ".treeinfo", "media.1/media", "media.1/products", "content", ".disk/info", "README.diskdefines"];

    /// <summary>
    /// Identifies a media from the text of its metadata files (keyed by <see cref="MetadataFiles"/> names; absent
    /// files are missing keys). <paramref name="name"/> and <paramref name="arch"/> are copycds' <c>-n</c> and
    /// <c>-a</c>: <c>-n</c> replaces the name, <c>-a</c> supplies an architecture the media does not state.
    /// </summary>
    /// <param name="files">The metadata files found on the media.</param>
    /// <param name="name">The distribution name given with -n, or null.</param>
    /// <param name="arch">The architecture given with -a, or null.</param>
    /// <param name="media">The ISO or directory, for messages.</param>
    /// <exception cref="XcatException">No plugin claims the media, or -a contradicts it, or its architecture is unknown.</exception>
    public static MediaIdentity Identify(IReadOnlyDictionary<string, string> files, string? name, string? arch, string media)
    {
        ArgumentNullException.ThrowIfNull(files);
        var found = Detect(files)
            ?? (name is not null && arch is not null && FamilyOf(name) is { } family ? new Detected(name, arch, "1", family, null) : null)
            ?? throw new XcatException(
                $"copycds could not identify the ISO supplied, you may wish to try -n <osver>\n" +
                $"{media} holds none of the metadata files copycds looks for: {string.Join(", ", MetadataFiles)}.");
        if (arch is not null && found.Arch is not null && found.Arch != arch)
        {
            throw new XcatException($"The architecture '{arch}' given with -a contradicts the media {media}, which is for {found.Arch}.");
        }

        var distName = name ?? found.DistName
            ?? throw new XcatException($"copycds could not identify the ISO supplied, you may wish to try -n <osver>\nThe metadata of {media} names no distribution.");
        var finalArch = arch ?? found.Arch
            ?? throw new XcatException($"The media {media} does not state its architecture; give it with -a.");
        return new MediaIdentity(distName, finalArch, found.DiscNo, found.Family, found.Slot);
    }

    private static Detected? Detect(IReadOnlyDictionary<string, string> files)
    {
        if (files.TryGetValue(".disk/info", out var diskInfo))
        {
            return Debian(diskInfo, files.GetValueOrDefault("README.diskdefines"));
        }

        var treeInfo = files.TryGetValue(".treeinfo", out var treeText) ? TreeInfo.Parse(treeText) : null;
        if (files.ContainsKey("media.1/media") || files.ContainsKey("content") || (treeInfo is not null && IsSuse(treeInfo)))
        {
            return Suse(files, treeInfo);
        }

        if (files.TryGetValue(".discinfo", out var discInfo))
        {
            return RedHatFromDiscInfo(discInfo, treeInfo);
        }

        return treeInfo is null ? null : RedHatFromTreeInfo(treeInfo);
    }

    /// <summary>The family of a name given with -n, when copycds has a plugin for it.</summary>
    private static DistributionFamily? FamilyOf(string name) =>
        Distribution.Of(name)?.Family is { } family && family is DistributionFamily.RedHat or DistributionFamily.Suse or DistributionFamily.Debian ? family : null;

    /// <summary>xCAT spells 32-bit x86 <c>x86</c>, and Debian's names are mapped to the kernel's where xCAT maps them.</summary>
    private static string? Arch(string? arch) => arch?.Trim() switch
    {
        null or "" => null,
        "i386" or "i486" or "i586" or "i686" => "x86",
        "amd64" => "x86_64",
        var other => other,
    };

    private static bool IsSuse(TreeInfo treeInfo) =>
        (treeInfo.Get("release", "name") ?? treeInfo.Get("general", "family") ?? string.Empty).Contains("SUSE", StringComparison.OrdinalIgnoreCase);

    private sealed record Detected(string? DistName, string? Arch, string DiscNo, DistributionFamily Family, string? Slot);
}
