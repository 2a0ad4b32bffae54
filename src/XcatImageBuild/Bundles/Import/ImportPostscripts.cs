using XcatImageBuild.Images;
using XcatImageBuild.Nodes;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// <c>imgimport -p noderange</c> (xcat-spec §1.9): the bundle's postscripts and postbootscripts, without the
/// <c>xcatdefaults</c> scripts export put in front, written per node (groups expanded to their nodes). Both columns
/// are written and replace the old values; nothing is written when both lists are empty.
/// </summary>
public static class ImportPostscripts
{
    /// <summary>The rows to write for the images' postscripts, and the nodes of the noderange that are not defined.</summary>
    /// <exception cref="XcatException">The noderange is malformed or names no defined node.</exception>
    public static (IReadOnlyList<JournalRow> Rows, IReadOnlyList<string> SkippedNodes) Plan(TableSession session, string noderange, IEnumerable<ImportImage> images)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(noderange);
        ArgumentNullException.ThrowIfNull(images);
        var expanded = NodeRange.Expand(session, noderange);

        if (expanded.Nodes.Count == 0)
        {
            throw new XcatException($"The nodes {OsImageFields.Escape(noderange)} are not defined in xCAT DB.");
        }

        var defaults = NodePostscripts.Defaults(session);
        var rows = new List<JournalRow>();
        foreach (var image in images)
        {
            var postscripts = Without(image.Manifest.Postscripts, defaults.Postscripts);
            var postbootscripts = Without(image.Manifest.Postbootscripts, defaults.Postbootscripts);
            if (postscripts.Length == 0 && postbootscripts.Length == 0)
            {
                continue;
            }

            rows.AddRange(expanded.Nodes.Select(node => new JournalRow(
                XcatSchema.Postscripts.Name,
                [node],
                new Dictionary<string, string>(StringComparer.Ordinal) { ["postscripts"] = postscripts, ["postbootscripts"] = postbootscripts })));
        }

        return (rows, expanded.Missing);
    }

    private static string Without(string? list, string? defaults)
    {
        var skip = ImportImage.Split(defaults).ToHashSet(StringComparer.Ordinal);
        return string.Join(',', ImportImage.Split(list).Where(s => !skip.Contains(s)));
    }
}
