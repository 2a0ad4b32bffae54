using XcatImageBuild.Tables;

namespace XcatImageBuild.Nodes;

/// <summary>
/// A node's <c>postscripts</c> and <c>postbootscripts</c> as xCAT resolves them (Table.pm getNodeAttribs): each
/// attribute comes from the node's own postscripts row when that row has a value, else from the first of the node's
/// groups, in <c>nodelist.groups</c> order, whose row has one. Disabled rows and empty values count as absent.
/// </summary>
/// <param name="Node">The node the values were resolved for.</param>
/// <param name="Postscripts">The comma list of postscripts, or null when neither the node nor a group sets one.</param>
/// <param name="Postbootscripts">The comma list of postbootscripts, or null when none is set.</param>
public sealed record NodePostscripts(string Node, string? Postscripts, string? Postbootscripts)
{
    /// <summary>The <c>xcatdefaults</c> row every node runs first (xcat-spec §1.4 step 9), or empty values.</summary>
    public static NodePostscripts Defaults(TableSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var row = session.Find(XcatSchema.Postscripts, "xcatdefaults");
        return row is null || row.IsDisabled
            ? new NodePostscripts("xcatdefaults", null, null)
            : new NodePostscripts("xcatdefaults", NullIfEmpty(row["postscripts"]), NullIfEmpty(row["postbootscripts"]));
    }

    /// <summary>Resolves the two attributes for <paramref name="node"/> with group inheritance.</summary>
    /// <exception cref="XcatException">The node is not in the nodelist table.</exception>
    public static NodePostscripts Resolve(TableSession session, string node)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(node);
        var nodeRow = session.Find(XcatSchema.NodeList, node);
        if (nodeRow is null || nodeRow.IsDisabled)
        {
            throw new XcatException($"The node '{node}' is not in the nodelist table.");
        }

        // The node's own row first, then its groups in the order nodelist.groups lists them.
        var rows = new List<TableRow>();
        foreach (var owner in NodeRange.SplitList(nodeRow["groups"]).Prepend(node))
        {
            var row = session.Find(XcatSchema.Postscripts, owner);
            if (row is not null && !row.IsDisabled)
            {
                rows.Add(row);
            }
        }

        return new NodePostscripts(node, FirstValue(rows, "postscripts"), FirstValue(rows, "postbootscripts"));
    }

    private static string? FirstValue(List<TableRow> rows, string column) =>
        rows.Select(r => r[column]).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
