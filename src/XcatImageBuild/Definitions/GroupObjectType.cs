using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// The static node group: a name in members' <c>nodelist.groups</c>, an optional nodegroup row, and the node
/// attributes (nodetype, postscripts) stored under the group's name for its members to inherit.
/// </summary>
internal sealed class GroupObjectType : ObjectType
{
    private static readonly IReadOnlyList<ObjectAttribute> Attributes =
    [
        new ObjectAttribute("grouptype", XcatSchema.NodeGroup, "grouptype"),
        new ObjectAttribute("membergroups", XcatSchema.NodeGroup, "membergroups"),
        new ObjectAttribute("wherevals", XcatSchema.NodeGroup, "wherevals"),
        new ObjectAttribute("usercomment", XcatSchema.NodeGroup, "comments"),
        .. NodeObjectType.GroupAttributes,
    ];

    private static readonly Dictionary<string, ObjectAttribute> ByName = Attributes.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public override string Name => "group";

    public override bool HasAttribute(string attribute) => attribute == "members" || ByName.ContainsKey(attribute);

    public override IReadOnlyList<string> All(TableSession session)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var row in session.ReadAll(XcatSchema.NodeGroup).Where(r => !r.IsDisabled))
        {
            names.Add(row["groupname"]!);
        }

        foreach (var row in session.ReadAll(XcatSchema.NodeList).Where(r => !r.IsDisabled))
        {
            names.UnionWith(NodeRange.SplitList(row["groups"]));
        }

        return [.. names];
    }

    public override bool Exists(TableSession session, string name) => All(session).Contains(name, StringComparer.Ordinal);

    public override IReadOnlyDictionary<string, string> ReadOwn(TableSession session, string name)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["grouptype"] = "static" };
        foreach (var table in new[] { XcatSchema.NodeGroup }.Concat(NodeObjectType.GroupTables))
        {
            foreach (var (attribute, value) in ReadColumns(session, table, name, Attributes))
            {
                values[attribute] = value;
            }
        }

        var members = Members(session, name);
        if (members.Count > 0)
        {
            values["members"] = string.Join(',', members);
        }

        return values;
    }

    public override IEnumerable<string> Check(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        if (!attributes.TryGetValue("members", out var members) || members.Length == 0)
        {
            yield break;
        }

        // mkdef/chdef -t group never create nodes (DBobjectdefs.pm).
        var expanded = NodeRange.Expand(session, members);
        foreach (var missing in expanded.Missing)
        {
            yield return $"Could not find a node named '{missing}'.";
        }
    }

    public override void Write(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        if (creating)
        {
            // xCAT records a static group as grouptype=static, members=static; the members are in nodelist.groups.
            session.Set(XcatSchema.NodeGroup, [name], new Dictionary<string, string?> { ["grouptype"] = "static", ["members"] = "static" });
        }

        if (attributes.TryGetValue("members", out var members))
        {
            var wanted = members.Length == 0 ? [] : NodeRange.Expand(session, members).Nodes.ToHashSet(StringComparer.Ordinal);
            SetMembers(session, name, wanted);
        }

        WriteColumns(session, name, attributes.Where(a => a.Key != "members").Select(a => (ByName[a.Key], a.Value)));
    }

    public override void Remove(TableSession session, string name)
    {
        SetMembers(session, name, new HashSet<string>(StringComparer.Ordinal));
        session.Delete(XcatSchema.NodeGroup, name);
        foreach (var table in NodeObjectType.GroupTables)
        {
            session.Delete(table, name);
        }
    }

    public override string? NameProblem(string name) => NodeNameProblem(name);

    /// <summary>The nodegroup row and the group's rows in the boot tables take the new name, and so does the group's
    /// place in each member's groups list.</summary>
    public override void Rename(TableSession session, string name, string newName)
    {
        MoveRow(session, XcatSchema.NodeGroup, [name], [newName]);
        foreach (var table in NodeObjectType.GroupTables)
        {
            MoveRow(session, table, [name], [newName]);
        }

        foreach (var row in session.ReadAll(XcatSchema.NodeList))
        {
            var groups = NodeRange.SplitList(row["groups"]).ToList();
            if (groups.Contains(name, StringComparer.Ordinal))
            {
                var renamed = groups.Select(g => g == name ? newName : g).Distinct(StringComparer.Ordinal);
                session.Set(XcatSchema.NodeList, [row["node"]!], new Dictionary<string, string?> { ["groups"] = string.Join(',', renamed) });
            }
        }
    }

    private static List<string> Members(TableSession session, string group) =>
        [.. session.ReadAll(XcatSchema.NodeList)
            .Where(r => !r.IsDisabled && NodeRange.SplitList(r["groups"]).Contains(group, StringComparer.Ordinal))
            .Select(r => r["node"]!)];

    /// <summary>Adds the group to the groups of every wanted node and takes it out of every other node's groups.</summary>
    private static void SetMembers(TableSession session, string group, HashSet<string> wanted)
    {
        foreach (var row in session.ReadAll(XcatSchema.NodeList))
        {
            var node = row["node"]!;
            var groups = NodeRange.SplitList(row["groups"]).ToList();
            var isMember = groups.Contains(group, StringComparer.Ordinal);
            if (wanted.Contains(node) && !isMember)
            {
                groups.Add(group);
            }
            else if (!wanted.Contains(node) && isMember)
            {
                groups.RemoveAll(g => g == group);
            }
            else
            {
                continue;
            }

            session.Set(XcatSchema.NodeList, [node], new Dictionary<string, string?> { ["groups"] = groups.Count == 0 ? null : string.Join(',', groups) });
        }
    }
}
