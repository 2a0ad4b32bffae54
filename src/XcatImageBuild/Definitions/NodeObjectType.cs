using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// The node object: its nodelist row (which must exist and carries <c>groups</c>), its nodetype row (os, arch,
/// profile, provmethod, ...) and its postscripts row. Attributes a node lacks are inherited from its groups, and
/// lsdef shows the xcatdefaults postscripts before the node's own, as xCAT does.
/// </summary>
internal sealed class NodeObjectType : ObjectType
{
    private static readonly string[] Hidden = ["node", "comments", "disable"];

    /// <summary>
    /// The node attributes stored in the boot tables, by xCAT's names (Schema.pm's node defspec): most are the column
    /// name, <c>supportproxydhcp</c> is <c>noderes.proxydhcp</c>; noderes columns the defspec leaves out are not attributes.
    /// </summary>
    private static readonly IReadOnlyList<ObjectAttribute> BootAttributes =
    [
        .. new[]
        {
            "xcatmaster", "servicenode", "tftpserver", "tftpdir", "nfsserver", "nimserver", "nfsdir", "monserver", "syslog",
            "primarynic", "installnic", "netboot", "nameservers", "routenames",
        }.Select(c => new ObjectAttribute(c, XcatSchema.NodeRes, c)),
        new ObjectAttribute("supportproxydhcp", XcatSchema.NodeRes, "proxydhcp"),
        .. new[] { "kernel", "initrd", "kcmdline", "addkcmdline" }.Select(c => new ObjectAttribute(c, XcatSchema.BootParams, c)),
        .. XcatSchema.NodeHm.Columns.Where(c => !Hidden.Contains(c)).Select(c => new ObjectAttribute(c, XcatSchema.NodeHm, c)),
        new ObjectAttribute("interface", XcatSchema.Mac, "interface"),
        new ObjectAttribute("mac", XcatSchema.Mac, "mac"),
        .. new[] { "chain", "ondiscover", "currstate", "currchain" }.Select(c => new ObjectAttribute(c, XcatSchema.Chain, c)),
        .. new[] { "ip", "hostnames", "otherinterfaces" }.Select(c => new ObjectAttribute(c, XcatSchema.Hosts, c)),
    ];

    /// <summary>The tables that hold a node's attributes besides nodelist, in the order they are read.</summary>
    internal static readonly IReadOnlyList<TableSchema> GroupTables =
        [XcatSchema.NodeType, XcatSchema.Postscripts, XcatSchema.NodeRes, XcatSchema.BootParams, XcatSchema.NodeHm, XcatSchema.Mac, XcatSchema.Chain, XcatSchema.Hosts];

    /// <summary>Attributes a node inherits from its groups: everything but the nodelist row.</summary>
    internal static readonly IReadOnlyList<ObjectAttribute> GroupAttributes =
    [
        .. XcatSchema.NodeType.Columns.Where(c => !Hidden.Contains(c)).Select(c => new ObjectAttribute(c, XcatSchema.NodeType, c)),
        new ObjectAttribute("postscripts", XcatSchema.Postscripts, "postscripts"),
        new ObjectAttribute("postbootscripts", XcatSchema.Postscripts, "postbootscripts"),
        .. BootAttributes,
    ];

    private static readonly IReadOnlyList<ObjectAttribute> Attributes =
    [
        .. XcatSchema.NodeList.Columns.Where(c => !Hidden.Contains(c)).Select(c => new ObjectAttribute(c, XcatSchema.NodeList, c)),
        new ObjectAttribute("usercomment", XcatSchema.NodeList, "comments"),
        .. GroupAttributes,
    ];

    private static readonly Dictionary<string, ObjectAttribute> ByName = Attributes.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public override string Name => "node";

    public override bool HasAttribute(string attribute) => ByName.ContainsKey(attribute);

    public override IReadOnlyList<string> All(TableSession session) =>
        [.. session.ReadAll(XcatSchema.NodeList).Where(r => !r.IsDisabled).Select(r => r["node"]!).Order(StringComparer.Ordinal)];

    public override bool Exists(TableSession session, string name) => session.Find(XcatSchema.NodeList, name) is { IsDisabled: false };

    /// <summary>mkdef spells new names from the noderange; the other verbs expand groups too.</summary>
    public override IReadOnlyList<string> Names(TableSession session, string operand, bool creating)
    {
        if (creating)
        {
            return NodeRange.Parse(operand);
        }

        var expanded = NodeRange.Expand(session, operand);
        return [.. expanded.Nodes, .. expanded.Missing];
    }

    public override IReadOnlyDictionary<string, string> ReadOwn(TableSession session, string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in new[] { XcatSchema.NodeList }.Concat(GroupTables))
        {
            foreach (var (attribute, value) in ReadColumns(session, table, name, Attributes))
            {
                values[attribute] = value;
            }
        }

        return values;
    }

    public override IReadOnlyDictionary<string, string> ReadForDisplay(TableSession session, string name, bool stanza)
    {
        var values = new Dictionary<string, string>(ReadOwn(session, name), StringComparer.Ordinal);

        // Each attribute the node does not set comes from the first of its groups that sets it (Table.pm getNodeAttribs).
        var groups = values.TryGetValue("groups", out var list) ? NodeRange.SplitList(list).ToList() : [];
        foreach (var group in groups)
        {
            foreach (var table in GroupTables)
            {
                foreach (var (attribute, value) in ReadColumns(session, table, group, GroupAttributes))
                {
                    values.TryAdd(attribute, value);
                }
            }
        }

        // lsdef lists the xcatdefaults scripts first, because every node runs them first; a stanza file does not, so
        // that feeding it back to mkdef -z does not store them twice (DBobjectdefs.pm defls).
        if (stanza)
        {
            return values;
        }

        var defaults = NodePostscripts.Defaults(session);
        Prepend(values, "postscripts", defaults.Postscripts);
        Prepend(values, "postbootscripts", defaults.Postbootscripts);
        return values;
    }

    public override IEnumerable<string> Check(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        // Without groups there would be no nodelist row, and so no node (DBobjectdefs.pm defmk).
        if (creating && (!attributes.TryGetValue("groups", out var groups) || groups.Length == 0))
        {
            yield return $"Attribute 'groups' is not specified for node '{name}'.";
        }
    }

    public override void Write(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        session.Set(XcatSchema.NodeList, [name], new Dictionary<string, string?>());
        WriteColumns(session, name, attributes.Select(a => (ByName[a.Key], a.Value)));
    }

    public override void Remove(TableSession session, string name)
    {
        session.Delete(XcatSchema.NodeList, name);
        foreach (var table in GroupTables)
        {
            session.Delete(table, name);
        }
    }

    public override string? NameProblem(string name) => NodeNameProblem(name);

    /// <summary>The nodelist row and the node's rows in every boot table take the new name.</summary>
    public override void Rename(TableSession session, string name, string newName)
    {
        MoveRow(session, XcatSchema.NodeList, [name], [newName]);
        foreach (var table in GroupTables)
        {
            MoveRow(session, table, [name], [newName]);
        }
    }

    private static void Prepend(Dictionary<string, string> values, string attribute, string? defaults)
    {
        if (defaults is null)
        {
            return;
        }

        values[attribute] = values.TryGetValue(attribute, out var own) ? defaults + "," + own : defaults;
    }
}
