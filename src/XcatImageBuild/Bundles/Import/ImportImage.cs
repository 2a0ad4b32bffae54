using XcatImageBuild.Bundles.Manifest;
namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// One image of a bundle as import plans it: its manifest (possibly rewritten by <c>-f</c> and the path rules) and,
/// for every file the manifest names, the bundle member that provides it.
/// </summary>
public sealed class ImportImage
{
    /// <summary>The osimage list column whose files travel in the bundle.</summary>
    public const string SyncListsColumn = "synclists";

    private readonly Dictionary<string, string> _sources;

    /// <param name="directory">The image directory's path in the bundle (empty for an older design's bundle).</param>
    /// <param name="manifest">The image's manifest.</param>
    /// <param name="sources">For each logical file path the manifest names, the bundle member that holds it.</param>
    public ImportImage(string directory, ImageManifest manifest, IReadOnlyDictionary<string, string> sources)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(sources);
        Directory = directory;
        Manifest = manifest;
        _sources = new Dictionary<string, string>(sources, StringComparer.Ordinal);
    }

    /// <summary>The image directory's path in the bundle; empty for a bundle of the older design.</summary>
    public string Directory { get; }

    public ImageManifest Manifest { get; }

    /// <summary>osimage.imagename.</summary>
    public string Name => Manifest.ImageName ?? string.Empty;

    /// <summary>The bundle member for a logical path the manifest names, or null when the bundle has none.</summary>
    public string? SourceOf(string logicalPath) => _sources.GetValueOrDefault(logicalPath);

    /// <summary>
    /// Every file the manifest names, as (key, logical path), in xCAT's make_files order: kernel, ramdisk, rootimg,
    /// rootimgtree, litefile, template, pkglist, synclists, otherpkglist, postinstall, exlist; lists split on <c>,</c>.
    /// </summary>
    public IEnumerable<(string Key, string Path)> Files()
    {
        foreach (var (key, value) in TopLevelFiles())
        {
            if (!string.IsNullOrEmpty(value))
            {
                yield return (key, value);
            }
        }

        foreach (var (key, table) in ListColumns())
        {
            foreach (var item in Split(table.GetValueOrDefault(key)))
            {
                yield return (key, item);
            }
        }
    }

    /// <summary>
    /// Rewrites every file path the manifest names (top-level files and list columns), keeping each file's bundle
    /// member: xCAT renames the file inside the extracted bundle to match (xcat-spec §1.8 step 4).
    /// </summary>
    public void RewriteFiles(Func<string, string, string> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        Manifest.Kernel = Rewrite("kernel", Manifest.Kernel);
        Manifest.Ramdisk = Rewrite("ramdisk", Manifest.Ramdisk);
        Manifest.RootImg = Rewrite("rootimg", Manifest.RootImg);
        Manifest.RootImgTree = Rewrite("rootimgtree", Manifest.RootImgTree);
        Manifest.LiteFile = Rewrite("litefile", Manifest.LiteFile);
        foreach (var (key, table) in ListColumns())
        {
            if (table.TryGetValue(key, out var list))
            {
                table[key] = string.Join(',', list.Split(',').Select(item => item.Trim().Length == 0 ? item : Rewrite(key, item.Trim())));
            }
        }

        string? Rewrite(string key, string? path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return path;
            }

            var renamed = rewrite(key, path);
            if (renamed != path && _sources.Remove(path, out var member))
            {
                _sources[renamed] = member;
            }

            return renamed;
        }
    }

    /// <summary>The items of a comma list, trimmed, empty ones dropped.</summary>
    public static IEnumerable<string> Split(string? list) =>
        (list ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private IEnumerable<(string Key, string? Value)> TopLevelFiles()
    {
        yield return ("kernel", Manifest.Kernel);
        yield return ("ramdisk", Manifest.Ramdisk);
        yield return ("rootimg", Manifest.RootImg);
        yield return ("rootimgtree", Manifest.RootImgTree);
        yield return ("litefile", Manifest.LiteFile);
    }

    private IEnumerable<(string Key, OrderedDictionary<string, string> Table)> ListColumns()
    {
        yield return ("template", Manifest.LinuxImage);
        yield return ("pkglist", Manifest.LinuxImage);
        yield return (SyncListsColumn, Manifest.OsImage);
        yield return ("otherpkglist", Manifest.LinuxImage);
        yield return ("postinstall", Manifest.LinuxImage);
        yield return ("exlist", Manifest.LinuxImage);
    }
}
