namespace XcatImageBuild.Lists;

/// <summary>
/// One <c>src [src...] -&gt; [(noderange)] dest</c> line of a synclist: files on the management node (logical paths, a
/// trailing <c>*</c> glob allowed) and where they go on the node or in the image.
/// </summary>
/// <param name="Sources">The source paths, in the order written.</param>
/// <param name="Destination">The destination file or directory (a trailing <c>/</c> marks a directory).</param>
/// <param name="NodeRange">The <c>(noderange)</c> the line is limited to (xCAT 2.12+), or null for every node.</param>
/// <param name="LineNumber">The 1-based line in the synclist, for messages.</param>
public sealed record SyncListEntry(IReadOnlyList<string> Sources, string Destination, string? NodeRange, int LineNumber)
{
    /// <summary>
    /// Whether the destination names a directory the sources go into: it ends in <c>/</c> or there are several
    /// sources (xCAT requires a directory then).
    /// </summary>
    public bool DestinationIsDirectory => Destination.EndsWith('/') || Sources.Count > 1;
}
