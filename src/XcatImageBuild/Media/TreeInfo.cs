namespace XcatImageBuild.Media;

/// <summary>A <c>.treeinfo</c> file: INI sections of <c>key = value</c> lines (productmd's format).</summary>
internal sealed class TreeInfo
{
    private readonly Dictionary<string, Dictionary<string, string>> _sections;

    private TreeInfo(Dictionary<string, Dictionary<string, string>> sections)
    {
        _sections = sections;
    }

    public static TreeInfo Parse(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                current = new Dictionary<string, string>(StringComparer.Ordinal);
                sections[line[1..^1].Trim()] = current;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                current[line[..equals].Trim()] = line[(equals + 1)..].Trim();
            }
        }

        return new TreeInfo(sections);
    }

    /// <summary>The value of <paramref name="key"/> in <paramref name="section"/>, or null when absent or empty.</summary>
    public string? Get(string section, string key) =>
        _sections.TryGetValue(section, out var values) && values.TryGetValue(key, out var value) && value.Length > 0 ? value : null;
}
