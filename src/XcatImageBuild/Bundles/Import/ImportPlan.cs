using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// What an import would do, worked out before anything in the site changes: the images and their manifests as they
/// will be stored, every file with its destination, every table row, and every problem found. An import commits
/// only a plan without problems.
/// </summary>
/// <param name="Images">The bundle's images, manifests rewritten by <c>-f</c> and the path rules.</param>
/// <param name="Files">Every file, link and directory to put in place, one per destination.</param>
/// <param name="Rows">Every table row to write.</param>
/// <param name="Problems">Everything that stops the import, one message each; empty when it can go ahead.</param>
/// <param name="SkippedNodes">The nodes of <c>-p</c>'s noderange that are not defined; they get no postscripts rows.</param>
public sealed record ImportPlan(
    IReadOnlyList<ImportImage> Images,
    IReadOnlyList<ImportFile> Files,
    IReadOnlyList<JournalRow> Rows,
    IReadOnlyList<string> Problems,
    IReadOnlyList<string> SkippedNodes);
