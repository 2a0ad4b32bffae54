using System.Text;
using System.Text.RegularExpressions;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Build;

/// <summary>
/// One image as its stages would read it: its osimage and linuxImage columns and the site's files and keys — as they
/// stand, overlaid with what <c>recipe apply</c> would write, so a plan computes the same inputs before the recipe is
/// applied as a build does after. Reads only.
/// </summary>
public sealed partial class ImageSnapshot
{
    private readonly XcatDatabase? _database;
    private readonly IReadOnlyDictionary<string, PlannedFile> _planned;

    private ImageSnapshot(
        string name,
        SiteRoot root,
        XcatDatabase? database,
        string installDir,
        IReadOnlyDictionary<string, string> osImage,
        IReadOnlyDictionary<string, string> linuxImage,
        IReadOnlyDictionary<string, PlannedFile> planned,
        IReadOnlyList<ExtraFile> extras)
    {
        Name = name;
        Root = root;
        _database = database;
        InstallDir = LogicalPath.Normalize(installDir);
        OsImage = osImage;
        LinuxImage = linuxImage;
        _planned = planned;
        Extras = extras;
    }

    public string Name { get; }

    public SiteRoot Root { get; }

    /// <summary>site.installdir (logical).</summary>
    public string InstallDir { get; }

    /// <summary>The non-empty osimage columns.</summary>
    public IReadOnlyDictionary<string, string> OsImage { get; }

    /// <summary>The non-empty linuximage columns.</summary>
    public IReadOnlyDictionary<string, string> LinuxImage { get; }

    public string? ProvMethod => Os("provmethod");

    /// <summary>What the recipe asks imgexport to carry in <c>extra/</c>.</summary>
    public IReadOnlyList<ExtraFile> Extras { get; }

    /// <summary>The logical root image directory (linuximage.rootimgdir or xCAT's default).</summary>
    public string RootImageDirectory =>
        LogicalPath.Normalize(Linux("rootimgdir") ?? $"{InstallDir}/netboot/{Os("osvers")}/{Os("osarch")}/{Os("profile")}");

    /// <summary>
    /// The image as <paramref name="image"/>'s recipe would leave it: the site's rows with the recipe's columns laid
    /// over them (a null column is cleared), and its generated files in place of the site's.
    /// </summary>
    /// <param name="image">The planned image.</param>
    /// <param name="root">The site root.</param>
    /// <param name="database">The site's tables, or null when the site has none yet.</param>
    /// <param name="installDir">site.installdir.</param>
    public static ImageSnapshot Planned(PlannedImage image, SiteRoot root, XcatDatabase? database, string installDir)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(root);
        var (os, linux) = CurrentRows(database, image.Name);
        return new ImageSnapshot(
            image.Name,
            root,
            database,
            installDir,
            Overlay(os, image.OsImage),
            Overlay(linux, image.LinuxImage),
            image.Files.ToDictionary(f => f.LogicalPath, StringComparer.Ordinal),
            image.Definition.Extras);
    }

    /// <summary>The osimage column, or null when unset.</summary>
    public string? Os(string column) => OsImage.GetValueOrDefault(column);

    /// <summary>The linuximage column, or null when unset.</summary>
    public string? Linux(string column) => LinuxImage.GetValueOrDefault(column);

    /// <summary>A site key, or null when it is unset (or the site has no tables yet).</summary>
    public string? Setting(string key)
    {
        var row = _database?.Find(XcatSchema.Site, key);
        return row is null || row.IsDisabled || string.IsNullOrEmpty(row["value"]) ? null : row["value"];
    }

    /// <summary>A passwd row's password column (the root password packimage writes into the image).</summary>
    public string? Password(string key, string user) => _database?.Find(XcatSchema.Passwd, key, user)?["password"];

    /// <summary>
    /// The litefile entries that apply to the image, as ilitefile lists them and liteimg saves them (the rows of its
    /// groups, of '', of ALL and of the image); empty when the site has no tables yet.
    /// </summary>
    public string LiteFileText() =>
        _database?.Read(session => Statelite.LiteFileList.Read(session, Name, Os("groups")).SaveText) ?? string.Empty;

    /// <summary>The on-disk path of a logical path.</summary>
    public string Map(string logicalPath) => Root.Map(logicalPath);

    /// <summary>The digest of a logical file or directory: the recipe's content when it generates it, else the site's.</summary>
    public string? Digest(string logicalPath)
    {
        ArgumentNullException.ThrowIfNull(logicalPath);
        return _planned.TryGetValue(LogicalPath.Normalize(logicalPath), out var file)
            ? BuildDigest.OfText(file.Content)
            : BuildDigest.OfPath(Map(logicalPath));
    }

    /// <summary>
    /// A list file and every file its <c>#INCLUDE:file#</c> lines name, recursively (relative names from the including
    /// file's directory), each as (logical path, digest); a loop or a missing include is listed once, as missing.
    /// </summary>
    public IReadOnlyList<(string Path, string? Digest)> ListWithIncludes(string logicalPath)
    {
        ArgumentNullException.ThrowIfNull(logicalPath);
        var seen = new List<(string, string?)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string path, int depth)
        {
            path = LogicalPath.Normalize(path);
            if (!visited.Add(path) || depth > 16)
            {
                return;
            }

            seen.Add((path, Digest(path)));
            var text = Text(path);
            foreach (Match include in IncludePattern().Matches(text ?? string.Empty))
            {
                var name = include.Groups[1].Value.Trim();
                Visit(name.StartsWith('/') ? name : $"{Path.GetDirectoryName(path)}/{name}", depth + 1);
            }
        }

        Visit(logicalPath, 0);
        return seen;
    }

    /// <summary>A logical file's text (the recipe's when it generates it), or null when it is not there.</summary>
    public string? Text(string logicalPath)
    {
        if (_planned.TryGetValue(LogicalPath.Normalize(logicalPath), out var file))
        {
            return file.Content;
        }

        var path = Map(logicalPath);
        return File.Exists(path) && new FileInfo(path).Length <= BuildDigest.ContentLimit ? File.ReadAllText(path, Encoding.UTF8) : null;
    }

    private static (IReadOnlyDictionary<string, string> Os, IReadOnlyDictionary<string, string> Linux) CurrentRows(XcatDatabase? database, string name)
    {
        var empty = new Dictionary<string, string>(StringComparer.Ordinal);
        if (database is null)
        {
            return (empty, empty);
        }

        return database.Read(session =>
        {
            var os = session.Find(XcatSchema.OsImage, name);
            var linux = session.Find(XcatSchema.LinuxImage, name);
            return (os is null || os.IsDisabled ? empty : os.NonEmpty(), linux is null || linux.IsDisabled ? empty : linux.NonEmpty());
        });
    }

    private static Dictionary<string, string> Overlay(IReadOnlyDictionary<string, string> row, IReadOnlyList<KeyValuePair<string, string?>> columns)
    {
        var result = new Dictionary<string, string>(row, StringComparer.Ordinal);
        foreach (var (column, value) in columns)
        {
            if (string.IsNullOrEmpty(value))
            {
                result.Remove(column);
            }
            else
            {
                result[column] = value;
            }
        }

        return result;
    }

    [GeneratedRegex(@"#INCLUDE:([^#\n]+)#")]
    private static partial Regex IncludePattern();
}
