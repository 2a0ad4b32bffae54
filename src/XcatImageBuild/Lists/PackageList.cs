using System.Text.RegularExpressions;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Lists;

/// <summary>
/// A pkglist or otherpkglist read with xCAT's rules (imgutils get_package_names; xcat-spec §3.2): the table value
/// may name several comma-separated files; each line is trimmed at the end and blank lines are skipped; a line whose
/// first non-blank character is <c>#</c> is a comment unless it is <c>#INCLUDE:f#</c>, <c>#NEW_INSTALL_LIST#</c> or
/// <c>#ENV:K=V#</c>; a trailing <c># text</c> is NOT a comment; the lines of a file are joined with commas, so one line
/// may hold several items. Includes are expanded recursively; <c>#NEW_INSTALL_LIST#</c> starts the next pass;
/// <c>-pkg</c> and <c>--pkg</c> remove before and after the pass; <c>dir/pkg</c> is grouped by its directory.
/// </summary>
public sealed partial class PackageList
{
    private PackageList(IReadOnlyList<string> files, IReadOnlyList<PackageListEntry> entries)
    {
        Files = files;
        Entries = entries;
        Passes = [.. entries
            .GroupBy(e => e.Pass)
            .OrderBy(g => g.Key)
            .Select(g => new PackagePass(g.Key, [.. g]))];
    }

    /// <summary>Every file read, as logical paths: the named lists, then their includes, each once, in reading order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Every item after include expansion, in list order (a second list file follows the first).</summary>
    public IReadOnlyList<PackageListEntry> Entries { get; }

    /// <summary>
    /// The install passes in numeric order. Every list file starts at pass 1, so the passes of several files merge by
    /// number, as xCAT merges them. A pass holding only <c>#NEW_INSTALL_LIST#</c> markers is not listed.
    /// </summary>
    public IReadOnlyList<PackagePass> Passes { get; }

    /// <summary>
    /// Reads a pkglist value (one or more comma-separated list files) with every include.
    /// </summary>
    /// <param name="fileList">The table value: logical paths separated by commas.</param>
    /// <param name="toDisk">Maps a logical path to the file to read (a site's <c>Map</c>); identity when null.</param>
    /// <param name="environment">
    /// Values for <c>${VAR}</c> and <c>$VAR</c> in include paths (genimage passes its environment); none when null.
    /// Unknown variables are left as written, as xCAT leaves them.
    /// </param>
    /// <param name="attribute">The table attribute named in errors (<c>pkglist</c> or <c>otherpkglist</c>).</param>
    /// <exception cref="XcatException">
    /// A named list does not exist (<c>The pkglist specified '&lt;f&gt;' does not exist!</c>), an include cannot be read
    /// (<c>Unable to open the following pkglist files:</c> and every such file, one per line), or an include includes
    /// itself.
    /// </exception>
    public static PackageList Load(
        string fileList,
        Func<string, string>? toDisk = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string attribute = "pkglist")
    {
        ArgumentNullException.ThrowIfNull(fileList);
        var reader = new Reader(toDisk ?? (path => path), environment ?? new Dictionary<string, string>());
        var missing = new List<string>();
        foreach (var file in fileList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!reader.ReadTopLevel(file))
            {
                missing.Add($"The {attribute} specified '{file}' does not exist!");
            }
        }

        if (missing.Count > 0)
        {
            throw XcatException.FromMany(missing);
        }

        if (reader.BadIncludes.Count > 0)
        {
            throw new XcatException(
                "Unable to open the following pkglist files:\n" + string.Join('\n', reader.BadIncludes.Distinct(StringComparer.Ordinal)));
        }

        return new PackageList([.. reader.Files], [.. reader.Entries]);
    }

    [GeneratedRegex(@"#INCLUDE:([^#^\n]+)#")]
    private static partial Regex IncludeDirective();

    [GeneratedRegex(@"^\s*#(INCLUDE:[^#^\n]+#|NEW_INSTALL_LIST#|ENV:[^#^\n]+#)")]
    private static partial Regex KeptDirective();

    [GeneratedRegex(@"^#ENV:([^#^\n]+)#")]
    private static partial Regex EnvironmentDirective();

    [GeneratedRegex(@"\$\{(\w+)\}|\$(\w+)")]
    private static partial Regex Variable();

    /// <summary>The state of one Load: the files seen, the items in order and the includes that failed.</summary>
    private sealed class Reader(Func<string, string> toDisk, IReadOnlyDictionary<string, string> environment)
    {
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private readonly Stack<string> _including = new();
        private string _listDirectory = "/";
        private int _pass;

        public List<string> Files { get; } = [];

        public List<PackageListEntry> Entries { get; } = [];

        public List<string> BadIncludes { get; } = [];

        /// <summary>Reads one named list; false when it cannot be read.</summary>
        public bool ReadTopLevel(string file)
        {
            var lines = ReadLines(file);
            if (lines is null)
            {
                return false;
            }

            // Every named file counts its passes from 1, and its includes are relative to ITS directory, even
            // includes nested inside other includes (imgutils passes the top list's directory down).
            _pass = 1;
            _listDirectory = DirectoryOf(file);
            _including.Push(file);
            AddLines(file, lines);
            _including.Pop();
            return true;
        }

        private void AddLines(string file, IReadOnlyList<string> lines)
        {
            foreach (var line in lines)
            {
                // An include is replaced by its file's items in place; what surrounds it on the line stays.
                var position = 0;
                foreach (Match include in IncludeDirective().Matches(line))
                {
                    AddItems(file, line[position..include.Index]);
                    Include(include.Groups[1].Value);
                    position = include.Index + include.Length;
                }

                AddItems(file, line[position..]);
            }
        }

        private void Include(string written)
        {
            var path = Variable().Replace(written, m =>
            {
                var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
                return environment.TryGetValue(name, out var value) ? value : m.Value;
            });
            if (!path.StartsWith('/'))
            {
                path = Join(_listDirectory, path);
            }

            if (_including.Contains(path, StringComparer.Ordinal))
            {
                throw new XcatException(
                    $"The pkglist {path} includes itself: {string.Join(" -> ", _including.Reverse().Append(path))}.");
            }

            var lines = ReadLines(path);
            if (lines is null)
            {
                BadIncludes.Add(path);
                return;
            }

            _including.Push(path);
            AddLines(path, lines);
            _including.Pop();
        }

        private void AddItems(string file, string text)
        {
            foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                Add(file, item);
            }
        }

        private void Add(string file, string item)
        {
            // The order of these tests is xCAT's: "--" before "-", so "--pkg" is a post-install removal.
            if (item.StartsWith("--", StringComparison.Ordinal))
            {
                Entries.Add(new PackageListEntry(PackageListEntryKind.PostRemove, _pass, BaseName(item[2..]), ".", file));
            }
            else if (item.StartsWith('-'))
            {
                Entries.Add(new PackageListEntry(PackageListEntryKind.PreRemove, _pass, BaseName(item[1..]), ".", file));
            }
            else if (item.StartsWith("#NEW_INSTALL_LIST#", StringComparison.Ordinal))
            {
                _pass++;
                Entries.Add(new PackageListEntry(PackageListEntryKind.NewPass, _pass, string.Empty, ".", file));
            }
            else if (EnvironmentDirective().Match(item) is { Success: true } environmentSetting)
            {
                Entries.Add(new PackageListEntry(PackageListEntryKind.Environment, _pass, environmentSetting.Groups[1].Value, ".", file));
            }
            else if (item.StartsWith('#'))
            {
                // A "#..." item after a comma on a package line; xCAT ignores it.
            }
            else
            {
                Entries.Add(new PackageListEntry(PackageListEntryKind.Install, _pass, BaseName(item), DirectoryOf(item), file));
            }
        }

        /// <summary>The kept lines of a list file, or null when it cannot be read.</summary>
        private List<string>? ReadLines(string file)
        {
            string text;
            try
            {
                text = File.ReadAllText(toDisk(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or XcatException)
            {
                return null;
            }

            if (_seen.Add(file))
            {
                Files.Add(file);
            }

            var kept = new List<string>();
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd();
                if (line.Length == 0 || (line.TrimStart().StartsWith('#') && !KeptDirective().IsMatch(line)))
                {
                    continue;
                }

                kept.Add(line);
            }

            return kept;
        }
    }
}
