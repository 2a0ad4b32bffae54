namespace XcatImageBuild.Nodeset;

/// <summary>What nodeset did: one line per node, <c>cn01: netboot debian12-x86_64-compute</c>, and the files it planned and wrote.</summary>
public sealed record NodesetResult(IReadOnlyList<string> Lines, BootFiles Files);
