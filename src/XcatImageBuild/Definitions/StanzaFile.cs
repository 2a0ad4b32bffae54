using System.Globalization;

namespace XcatImageBuild.Definitions;

/// <summary>One <c>attr=value</c> line of a stanza, with the line it is on.</summary>
public sealed record StanzaValue(string Name, string Value, int Line);

/// <summary>One object of a stanza file: its <c>name:</c> header, its <c>objtype</c> and its attributes in file order.</summary>
public sealed record StanzaObject(string Name, int Line, string? Type, IReadOnlyList<StanzaValue> Attributes);

/// <summary>
/// xCAT's stanza file, the format of <c>lsdef -z</c> and the input of <c>mkdef -z</c> / <c>chdef -z</c>
/// (DBobjUtils.pm readFileInput): blank and <c>#</c> lines are skipped; <c>name:</c> starts an object;
/// <c>attr=value</c> lines belong to the object above them, value trimmed and one pair of surrounding double quotes
/// removed; <c>objtype=TYPE</c> gives the object's type; a <c>default-TYPE:</c> stanza holds values every later object
/// of that type starts with. xCAT skips a line it cannot read; here such a line is an error naming its line number.
/// </summary>
public static class StanzaFile
{
    /// <summary>Parses a stanza file.</summary>
    /// <exception cref="XcatException">A line is neither a header nor an attribute, an attribute comes before any
    /// header, an attribute has no name, or an object is named twice; every such line is named.</exception>
    public static IReadOnlyList<StanzaObject> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var objects = new List<StanzaObject>();
        var problems = new List<string>();
        var defaults = new Dictionary<string, List<StanzaValue>>(StringComparer.Ordinal);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        string? name = null;
        string? defaultsType = null;
        var nameLine = 0;
        string? type = null;
        var attributes = new List<StanzaValue>();

        void Finish()
        {
            if (name is not null)
            {
                objects.Add(new StanzaObject(name, nameLine, type, attributes));
            }
            else if (defaultsType is not null)
            {
                defaults[defaultsType] = attributes;
            }

            name = null;
            defaultsType = null;
            type = null;
            attributes = [];
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#'))
            {
                continue;
            }

            if (trimmed.EndsWith(':'))
            {
                Finish();

                // Everything before the last colon is the name (IPv6 network names hold colons).
                var header = trimmed[..^1].Trim();
                if (header.Length == 0 || header.Contains('=', StringComparison.Ordinal))
                {
                    problems.Add(At(number, $"'{trimmed}' is not an object header ('NAME:')"));
                    continue;
                }

                if (header.StartsWith("default-", StringComparison.Ordinal) && header.Length > "default-".Length && !header["default-".Length..].Contains('-', StringComparison.Ordinal))
                {
                    defaultsType = header["default-".Length..];
                    continue;
                }

                if (firstLine.TryGetValue(header, out var earlier))
                {
                    problems.Add(At(number, $"the object '{header}' was already defined on line {earlier.ToString(CultureInfo.InvariantCulture)}"));
                    continue;
                }

                firstLine[header] = number;
                name = header;
                nameLine = number;
                continue;
            }

            var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                problems.Add(At(number, $"'{trimmed}' is neither an object header ('NAME:') nor an 'attr=value' line"));
                continue;
            }

            var attribute = trimmed[..equals].Trim();
            var value = Unquote(trimmed[(equals + 1)..].Trim());
            if (attribute.Length == 0)
            {
                problems.Add(At(number, $"'{trimmed}' has no attribute name"));
                continue;
            }

            if (name is null && defaultsType is null)
            {
                problems.Add(At(number, $"'{trimmed}' comes before the first object header ('NAME:')"));
                continue;
            }

            if (attribute == "objtype")
            {
                type = value;

                // A default-TYPE stanza's values come first, so the object's own lines override them.
                if (name is not null && defaults.TryGetValue(value, out var inherited))
                {
                    attributes.InsertRange(0, inherited.Where(d => attributes.All(a => a.Name != d.Name)));
                }

                continue;
            }

            attributes.Add(new StanzaValue(attribute, value, number));
        }

        Finish();
        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        return objects;
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Trim() : value;

    private static string At(int line, string problem) => string.Create(CultureInfo.InvariantCulture, $"Stanza line {line}: {problem}.");
}
