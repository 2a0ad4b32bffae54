using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Nodes;

/// <summary>
/// xCAT's noderange against the nodelist table: a comma list whose items are node names, group names (a node's
/// <c>nodelist.groups</c> is a comma list; a group stands for its member nodes), bracket ranges <c>n[01-10]</c>
/// (also <c>n[1-3,7]</c>) and dash ranges <c>n01-n10</c>. Zero padding of the first number is kept.
/// </summary>
public static partial class NodeRange
{
    /// <summary>No single range may spell more names than this; a typo like <c>n1-n99999999</c> is an error.</summary>
    private const int MaxRangeSize = 100_000;

    /// <summary>
    /// Expands <paramref name="noderange"/> with the nodelist rows <paramref name="session"/> sees. Disabled
    /// nodelist rows are not nodes, as everywhere in xCAT.
    /// </summary>
    /// <exception cref="XcatException">The noderange is malformed; the message names it and says what is wrong.</exception>
    public static ExpandedNodeRange Expand(TableSession session, string noderange)
    {
        ArgumentNullException.ThrowIfNull(session);
        var items = ParseItems(noderange);
        var rows = session.ReadAll(XcatSchema.NodeList).Where(r => !r.IsDisabled).ToList();
        var nodes = new HashSet<string>(rows.Select(r => r["node"]!), StringComparer.Ordinal);
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            foreach (var group in SplitList(row["groups"]))
            {
                if (!members.TryGetValue(group, out var list))
                {
                    members[group] = list = [];
                }

                list.Add(row["node"]!);
            }
        }

        var found = new List<string>();
        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        // An item that is itself a node or group name is taken as it is, so a node called rack1-rack2 is never read
        // as a range; otherwise its expansion is used.
        var names = items.SelectMany(i => nodes.Contains(i.Item) || members.ContainsKey(i.Item) ? [i.Item] : i.Names);
        foreach (var name in names)
        {
            // A node name wins over a group of the same name, as in xCAT's expandatom.
            if (nodes.Contains(name))
            {
                AddOnce(found, seen, name);
            }
            else if (members.TryGetValue(name, out var groupMembers))
            {
                foreach (var member in groupMembers)
                {
                    AddOnce(found, seen, member);
                }
            }
            else
            {
                AddOnce(missing, seen, name);
            }
        }

        return new ExpandedNodeRange(found, missing);
    }

    /// <summary>
    /// The names a noderange spells, ranges expanded, before any lookup: each is a node or group name.
    /// </summary>
    /// <exception cref="XcatException">The noderange is malformed.</exception>
    public static IReadOnlyList<string> Parse(string noderange) => [.. ParseItems(noderange).SelectMany(i => i.Names)];

    private static List<(string Item, IReadOnlyList<string> Names)> ParseItems(string noderange)
    {
        if (string.IsNullOrWhiteSpace(noderange))
        {
            throw Malformed(noderange ?? string.Empty, "it is empty");
        }

        var items = new List<(string Item, IReadOnlyList<string> Names)>();
        foreach (var item in SplitTopLevel(noderange))
        {
            if (item.Length == 0)
            {
                throw Malformed(noderange, "it has an empty item between commas");
            }

            if (item.Contains('[', StringComparison.Ordinal) || item.Contains(']', StringComparison.Ordinal))
            {
                items.Add((item, ExpandBrackets(noderange, item)));
                continue;
            }

            CheckName(noderange, item);
            var dash = DashRange().Match(item);
            if (dash.Success && dash.Groups["p1"].Value == dash.Groups["p2"].Value)
            {
                items.Add((item, Numbers(noderange, item, dash.Groups["p1"].Value, dash.Groups["a"].Value, dash.Groups["b"].Value, string.Empty)));
                continue;
            }

            items.Add((item, [item]));
        }

        return items;
    }

    private static List<string> SplitTopLevel(string noderange)
    {
        var items = new List<string>();
        var depth = 0;
        var current = new StringBuilder();
        foreach (var c in noderange)
        {
            switch (c)
            {
                case '[':
                    depth++;
                    break;
                case ']':
                    depth--;
                    if (depth < 0)
                    {
                        throw Malformed(noderange, "a ']' has no matching '['");
                    }

                    break;
                case ',' when depth == 0:
                    items.Add(current.ToString());
                    current.Clear();
                    continue;
            }

            current.Append(c);
        }

        if (depth != 0)
        {
            throw Malformed(noderange, "a '[' is not closed");
        }

        items.Add(current.ToString());
        return items;
    }

    private static List<string> ExpandBrackets(string noderange, string item)
    {
        var match = BracketRange().Match(item);
        if (!match.Success)
        {
            throw Malformed(noderange, $"'{item}' is not of the form prefix[first-last]suffix");
        }

        var prefix = match.Groups["prefix"].Value;
        var suffix = match.Groups["suffix"].Value;
        CheckName(noderange, prefix + "0" + suffix);
        var names = new List<string>();
        foreach (var part in match.Groups["inner"].Value.Split(','))
        {
            var bounds = part.Split('-');
            if (bounds.Length == 1 && DigitsOnly().IsMatch(bounds[0]))
            {
                names.Add(prefix + bounds[0] + suffix);
            }
            else if (bounds.Length == 2 && DigitsOnly().IsMatch(bounds[0]) && DigitsOnly().IsMatch(bounds[1]))
            {
                names.AddRange(Numbers(noderange, item, prefix, bounds[0], bounds[1], suffix));
            }
            else
            {
                throw Malformed(noderange, $"'[{match.Groups["inner"].Value}]' in '{item}' is not a list of numbers and number ranges");
            }
        }

        return names;
    }

    private static List<string> Numbers(string noderange, string item, string prefix, string first, string last, string suffix)
    {
        if (first.Length > 9 || last.Length > 9)
        {
            throw Malformed(noderange, $"the range '{item}' has numbers too long to count");
        }

        var start = int.Parse(first, CultureInfo.InvariantCulture);
        var end = int.Parse(last, CultureInfo.InvariantCulture);
        if (start > end)
        {
            throw Malformed(noderange, $"the range '{item}' counts down from {first} to {last}");
        }

        if (end - start >= MaxRangeSize)
        {
            throw Malformed(noderange, $"the range '{item}' spells more than {MaxRangeSize} names");
        }

        // The first number's width is kept: n[01-10] gives n01 ... n10, n[1-10] gives n1 ... n10.
        var format = "D" + first.Length.ToString(CultureInfo.InvariantCulture);
        var names = new List<string>(end - start + 1);
        for (var n = start; n <= end; n++)
        {
            names.Add(prefix + n.ToString(format, CultureInfo.InvariantCulture) + suffix);
        }

        return names;
    }

    private static void CheckName(string noderange, string name)
    {
        if (!NameCharacters().IsMatch(name))
        {
            throw Malformed(noderange, $"'{name}' is not a node or group name (letters, digits, '.', '_' and '-' only, not starting with '-')");
        }
    }

    private static XcatException Malformed(string noderange, string reason) =>
        new($"Malformed noderange '{noderange}': {reason}.");

    private static void AddOnce(List<string> list, HashSet<string> seen, string name)
    {
        if (seen.Add(name))
        {
            list.Add(name);
        }
    }

    /// <summary>The items of a comma-separated table value, trimmed, empty ones dropped.</summary>
    internal static IEnumerable<string> SplitList(string? value) =>
        string.IsNullOrEmpty(value)
            ? []
            : value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex(@"^(?<prefix>[^\[\]]*)\[(?<inner>[^\[\]]+)\](?<suffix>[^\[\]]*)$")]
    private static partial Regex BracketRange();

    [GeneratedRegex(@"^(?<p1>[A-Za-z_.][A-Za-z0-9_.-]*?)(?<a>\d+)-(?<p2>[A-Za-z_.][A-Za-z0-9_.-]*?)(?<b>\d+)$")]
    private static partial Regex DashRange();

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex DigitsOnly();

    [GeneratedRegex(@"^[A-Za-z0-9_.][A-Za-z0-9_.-]*$")]
    private static partial Regex NameCharacters();
}
