using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Nodeset;

/// <summary>
/// The attributes nodeset reads for each node, from nodetype, noderes, nodehm, mac, hosts and bootparams, each
/// inherited from the node's groups where the node does not set it (Table.pm getNodesAttribs). Every table is read
/// once for all nodes, so a thousand nodes cost a handful of queries.
/// </summary>
internal sealed class NodeBootAttributes
{
    private static readonly TableSchema[] Tables =
        [XcatSchema.NodeType, XcatSchema.NodeRes, XcatSchema.NodeHm, XcatSchema.Mac, XcatSchema.Hosts, XcatSchema.BootParams, XcatSchema.Chain];

    private readonly Dictionary<TableSchema, Dictionary<string, TableRow>> _rows;
    private readonly Dictionary<string, IReadOnlyList<string>> _groups;

    private NodeBootAttributes(Dictionary<TableSchema, Dictionary<string, TableRow>> rows, Dictionary<string, IReadOnlyList<string>> groups)
    {
        _rows = rows;
        _groups = groups;
    }

    /// <summary>Reads the tables in <paramref name="session"/>.</summary>
    public static NodeBootAttributes Read(TableSession session)
    {
        var rows = new Dictionary<TableSchema, Dictionary<string, TableRow>>();
        foreach (var table in Tables)
        {
            var byKey = new Dictionary<string, TableRow>(StringComparer.Ordinal);
            foreach (var row in session.ReadAll(table).Where(r => !r.IsDisabled))
            {
                byKey[row["node"]!] = row;
            }

            rows[table] = byKey;
        }

        var groups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var row in session.ReadAll(XcatSchema.NodeList).Where(r => !r.IsDisabled))
        {
            groups[row["node"]!] = [.. NodeRange.SplitList(row["groups"])];
        }

        return new NodeBootAttributes(rows, groups);
    }

    /// <summary>A column for a node: its own non-empty value, else that of the first of its groups that sets it, else null.</summary>
    public string? Get(string node, TableSchema table, string column)
    {
        var rows = _rows[table];
        if (rows.TryGetValue(node, out var own) && !string.IsNullOrEmpty(own[column]))
        {
            return own[column];
        }

        foreach (var group in _groups.GetValueOrDefault(node) ?? [])
        {
            if (rows.TryGetValue(group, out var inherited) && !string.IsNullOrEmpty(inherited[column]))
            {
                return inherited[column];
            }
        }

        return null;
    }
}
