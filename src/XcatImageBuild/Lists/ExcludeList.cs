using System.Text;

namespace XcatImageBuild.Lists;

/// <summary>
/// An osimage exlist: which paths of a root image are left out of the packed archive (xcat-spec §2.5, §8.8).
/// <list type="bullet">
/// <item><c>#</c> starts a comment that runs to the end of the line; blank lines are skipped.</item>
/// <item><c>+PATTERN</c> includes, <c>-PATTERN</c> or a bare <c>PATTERN</c> excludes.</item>
/// <item>Patterns are <c>find -path</c> globs (<see cref="PathGlob"/>) matched against <c>./relative</c> paths.</item>
/// <item>A line <c>#INCLUDE:file#</c> is replaced by that file's non-blank lines, recursively; relative names are taken
/// from the directory of the top-level list, as xCAT does. xCAT drops an unreadable include silently; it is dropped
/// here too but reported in <see cref="Warnings"/>.</item>
/// </list>
/// A path is archived when no exclude matches it or when an include matches it (xCAT appends the include list after
/// the exclude list).
/// </summary>
public sealed class ExcludeList
{
    /// <summary>
    /// Paths packimage always leaves out, with or without an exlist: statelite state that must never leak into a
    /// stateless image (xCAT PR #3919, xcat-spec §2.5).
    /// </summary>
    public static readonly IReadOnlyList<string> StateliteExcludes =
        ["./etc/init.d/statelite", "./etc/rc.sysinit.backup", "./.statelite*", "./.default*", "./.statebackup*"];

    private const int MaximumIncludeDepth = 32;
    private const string IncludeStart = "#INCLUDE:";

    private readonly PathGlob[] _excludes;
    private readonly PathGlob[] _includes;

    private ExcludeList(IEnumerable<string> excludes, IEnumerable<string> includes, IEnumerable<string> warnings)
    {
        _excludes = [.. excludes.Select(p => new PathGlob(p))];
        _includes = [.. includes.Select(p => new PathGlob(p))];
        Warnings = [.. warnings];
    }

    /// <summary>An empty list: nothing excluded, nothing included.</summary>
    public static ExcludeList Empty { get; } = new([], [], []);

    /// <summary>The exclude patterns in list order, leading <c>-</c> removed.</summary>
    public IReadOnlyList<string> Excludes => [.. _excludes.Select(g => g.Pattern)];

    /// <summary>The include patterns in list order, leading <c>+</c> removed.</summary>
    public IReadOnlyList<string> Includes => [.. _includes.Select(g => g.Pattern)];

    /// <summary>What was dropped while reading the list (unreadable or looping includes).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Parses list text. <paramref name="includeDirectory"/> is where relative <c>#INCLUDE:</c> names are looked up (text
    /// that comes from no file has none, and its relative includes are dropped with a warning);
    /// <paramref name="resolve"/> maps a list's (logical) path to the file to read, by default the path itself.
    /// </summary>
    public static ExcludeList Parse(string text, string? includeDirectory = null, Func<string, string>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var warnings = new List<string>();
        var lines = new List<string>();
        Expand(text, includeDirectory, resolve ?? (p => p), 0, dropBlank: false, lines, warnings);
        var excludes = new List<string>();
        var includes = new List<string>();
        foreach (var raw in lines)
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line[0] == '+')
            {
                includes.Add(line[1..]);
            }
            else
            {
                excludes.Add(line[0] == '-' ? line[1..] : line);
            }
        }

        return new ExcludeList(excludes, includes, warnings);
    }

    /// <summary>Reads a list file (a logical path when <paramref name="resolve"/> maps logical paths to disk).</summary>
    /// <exception cref="XcatException">The list cannot be read; the message names it.</exception>
    public static ExcludeList Load(string path, Func<string, string>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        resolve ??= p => p;
        string text;
        try
        {
            text = File.ReadAllText(resolve(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the exclude list {path}: {e.Message}", 1, null, e);
        }

        return Parse(text, Path.GetDirectoryName(path), resolve);
    }

    /// <summary>Reads several lists (linuximage.exlist holds them comma-separated) and joins them in order.</summary>
    /// <exception cref="XcatException">A list cannot be read.</exception>
    public static ExcludeList LoadAll(IEnumerable<string> paths, Func<string, string>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Select(p => Load(p, resolve)).Aggregate(Empty, (all, next) => all.Concat(next));
    }

    /// <summary>This list followed by another.</summary>
    public ExcludeList Concat(ExcludeList other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new ExcludeList(Excludes.Concat(other.Excludes), Includes.Concat(other.Includes), Warnings.Concat(other.Warnings));
    }

    /// <summary>This list with more exclude patterns.</summary>
    public ExcludeList WithExcludes(IEnumerable<string> patterns) => new(Excludes.Concat(patterns), Includes, Warnings);

    /// <summary>This list with more include patterns.</summary>
    public ExcludeList WithIncludes(IEnumerable<string> patterns) => new(Excludes, Includes.Concat(patterns), Warnings);

    /// <summary>
    /// This list with the timezone re-includes xCAT appends when site.timezone is set: the zone file and, when it is a
    /// symbolic link in the image, the file it points to, so an exlist that drops <c>./usr/share/zoneinfo*</c> still
    /// leaves the <c>/etc/localtime</c> target in the image (xcat-spec §2.5).
    /// </summary>
    public ExcludeList WithTimezone(string timezone, string rootImageDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(timezone);
        ArgumentNullException.ThrowIfNull(rootImageDirectory);
        var zone = $"./usr/share/zoneinfo/{timezone}";
        var includes = new List<string> { zone };
        var target = new FileInfo(Path.Combine(rootImageDirectory, zone[2..])).LinkTarget;
        if (target is not null)
        {
            var logical = target.StartsWith('/')
                ? target
                : Site.LogicalPath.Normalize("/" + Path.GetDirectoryName(zone[2..]) + "/" + target);
            includes.Add("." + Site.LogicalPath.Normalize(logical));
        }

        return WithIncludes(includes);
    }

    /// <summary>Whether an exclude pattern matches the <c>./relative</c> path.</summary>
    public bool IsExcluded(string path) => _excludes.Any(g => g.IsMatch(path));

    /// <summary>Whether an include pattern matches the <c>./relative</c> path.</summary>
    public bool IsIncluded(string path) => _includes.Any(g => g.IsMatch(path));

    /// <summary>Whether the <c>./relative</c> path goes into the archive: not excluded, or re-included.</summary>
    public bool Selects(string path) => !IsExcluded(path) || IsIncluded(path);

    private static void Expand(
        string text, string? includeDirectory, Func<string, string> resolve, int depth, bool dropBlank, List<string> lines, List<string> warnings)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (dropBlank && trimmed.Length == 0)
            {
                continue;
            }

            if (!trimmed.StartsWith(IncludeStart, StringComparison.Ordinal) || !trimmed.EndsWith('#') || trimmed.Length <= IncludeStart.Length + 1)
            {
                lines.Add(line);
                continue;
            }

            var name = trimmed[IncludeStart.Length..^1].Trim();
            if (!Path.IsPathRooted(name) && includeDirectory is null)
            {
                warnings.Add($"#INCLUDE:{name}# is relative, and the list is in no directory to find it from; ignored.");
                continue;
            }

            var path = Path.IsPathRooted(name) ? name : Path.Combine(includeDirectory!, name);
            if (depth >= MaximumIncludeDepth)
            {
                warnings.Add($"#INCLUDE:{name}# nests deeper than {MaximumIncludeDepth} levels (a loop?); ignored.");
                continue;
            }

            string included;
            try
            {
                included = File.ReadAllText(resolve(path), Encoding.UTF8);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warnings.Add($"cannot open {path} named by #INCLUDE:{name}#; ignored as xCAT does.");
                continue;
            }

            Expand(included, includeDirectory, resolve, depth + 1, dropBlank: true, lines, warnings);
        }
    }
}
