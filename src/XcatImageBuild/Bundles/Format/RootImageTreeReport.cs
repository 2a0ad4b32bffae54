namespace XcatImageBuild.Bundles.Format;

/// <summary>What <see cref="RootImageTreeReader"/> found in a statelite root tree, for the administrator.</summary>
/// <param name="Entries">Every entry of the archive.</param>
/// <param name="KeptNodes">Plain character devices and fifos made (as root).</param>
/// <param name="SkippedNodes">The device nodes and sockets left out, by archive name.</param>
/// <param name="KeptSetId">Programs that keep their set-user-ID or set-group-ID bit (as root).</param>
/// <param name="DroppedSetId">Files whose set-ID bits were dropped, by archive name.</param>
public sealed record RootImageTreeReport(long Entries, int KeptNodes, IReadOnlyList<string> SkippedNodes, int KeptSetId, IReadOnlyList<string> DroppedSetId);
