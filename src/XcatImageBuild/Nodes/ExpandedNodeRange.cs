namespace XcatImageBuild.Nodes;

/// <summary>
/// What a noderange names: the nodes it resolves to in the nodelist table, and the names it spells that are
/// neither a node nor a group (xCAT keeps those apart so a command can warn about them and go on).
/// </summary>
/// <param name="Nodes">Defined nodes, each once, in the order the noderange first names them.</param>
/// <param name="Missing">Names that are not in the nodelist table and are no group, each once, in order.</param>
public sealed record ExpandedNodeRange(IReadOnlyList<string> Nodes, IReadOnlyList<string> Missing);
