namespace XcatImageBuild.Lists;

/// <summary>
/// An xCAT synclist (xdcp -F): plain <c>src -&gt; dest</c> and <c>src1 src2 -&gt; dir</c> lines, then optional
/// <c>EXECUTE:</c>, <c>EXECUTEALWAYS:</c> (scripts listed one per line), <c>APPEND:</c> and <c>MERGE:</c>
/// (<c>src -&gt; dest</c> lines) sections. A section header holds until the next header. <c>#</c> starts a comment.
/// See xCAT's "The synclist file" documentation; <see cref="ApplyToImage"/> is what packimage does with it.
/// </summary>
public sealed partial class SyncList
{
    private SyncList(
        string? path,
        IReadOnlyList<SyncListEntry> files,
        IReadOnlyList<SyncListEntry> append,
        IReadOnlyList<SyncListEntry> merge,
        IReadOnlyList<string> execute,
        IReadOnlyList<string> executeAlways)
    {
        Path = path;
        Files = files;
        Append = append;
        Merge = merge;
        Execute = execute;
        ExecuteAlways = executeAlways;
    }

    /// <summary>The list's path as given, or null when parsed from text.</summary>
    public string? Path { get; }

    /// <summary>The plain copy lines.</summary>
    public IReadOnlyList<SyncListEntry> Files { get; }

    /// <summary>The APPEND lines: the source's content is added to the end of an existing destination file.</summary>
    public IReadOnlyList<SyncListEntry> Append { get; }

    /// <summary>The MERGE lines: entries of the source replace or join those of /etc/passwd, /etc/shadow or /etc/group.</summary>
    public IReadOnlyList<SyncListEntry> Merge { get; }

    /// <summary>The EXECUTE scripts: run on a node after the file they belong to was updated there.</summary>
    public IReadOnlyList<string> Execute { get; }

    /// <summary>The EXECUTEALWAYS scripts: run on a node after every sync.</summary>
    public IReadOnlyList<string> ExecuteAlways { get; }

    /// <summary>The files MERGE accepts as destinations (xCAT's xdcpmerge.sh handles only these).</summary>
    public static IReadOnlyList<string> MergeableFiles { get; } = ["/etc/passwd", "/etc/shadow", "/etc/group"];

    /// <summary>Parses synclist text.</summary>
    /// <exception cref="XcatException">A line is malformed; every malformed line is named, with its number.</exception>
    public static SyncList Parse(string text, string? path = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var name = path ?? "synclist";
        var files = new List<SyncListEntry>();
        var append = new List<SyncListEntry>();
        var merge = new List<SyncListEntry>();
        var execute = new List<string>();
        var executeAlways = new List<string>();
        var problems = new List<string>();
        var section = "";
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = StripComment(raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line is "EXECUTE:" or "EXECUTEALWAYS:" or "APPEND:" or "MERGE:")
            {
                section = line;
                continue;
            }

            if (section is "EXECUTE:" or "EXECUTEALWAYS:")
            {
                (section == "EXECUTE:" ? execute : executeAlways).Add(line);
                continue;
            }

            var entry = ParseEntry(line, number, name, problems);
            if (entry is null)
            {
                continue;
            }

            switch (section)
            {
                case "APPEND:":
                    append.Add(entry);
                    break;
                case "MERGE:":
                    if (!MergeableFiles.Contains(Site.LogicalPath.Normalize(entry.Destination), StringComparer.Ordinal))
                    {
                        problems.Add($"{name}:{number}: MERGE supports only {string.Join(", ", MergeableFiles)}, not {entry.Destination}.");
                        continue;
                    }

                    merge.Add(entry);
                    break;
                default:
                    files.Add(entry);
                    break;
            }
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        return new SyncList(path, files, append, merge, execute, executeAlways);
    }

    /// <summary>Reads a synclist file (a logical path when <paramref name="resolve"/> maps logical paths to disk).</summary>
    /// <exception cref="XcatException">It cannot be read or is malformed.</exception>
    public static SyncList Load(string path, Func<string, string>? resolve = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText((resolve ?? (p => p))(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the synclist {path}: {e.Message}", 1, null, e);
        }

        return Parse(text, path);
    }

    // '#' begins a comment at the start of a line or after white space, so "a#b" stays a file name.
    private static string StripComment(string line)
    {
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
            {
                return line[..i];
            }
        }

        return line;
    }

    private static SyncListEntry? ParseEntry(string line, int number, string name, List<string> problems)
    {
        var arrow = line.IndexOf("->", StringComparison.Ordinal);
        if (arrow < 0)
        {
            problems.Add($"{name}:{number}: expected 'source -> destination', got '{line}'.");
            return null;
        }

        var sources = line[..arrow].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var right = line[(arrow + 2)..].Trim();
        string? nodeRange = null;
        if (right.StartsWith('('))
        {
            var close = right.IndexOf(')', StringComparison.Ordinal);
            if (close < 0)
            {
                problems.Add($"{name}:{number}: the noderange '(' is not closed in '{line}'.");
                return null;
            }

            nodeRange = right[1..close].Trim();
            right = right[(close + 1)..].Trim();
        }

        var destinations = right.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (sources.Length == 0 || destinations.Length != 1)
        {
            problems.Add($"{name}:{number}: expected one or more sources and exactly one destination, got '{line}'.");
            return null;
        }

        return new SyncListEntry(sources, destinations[0], nodeRange, number);
    }
}
