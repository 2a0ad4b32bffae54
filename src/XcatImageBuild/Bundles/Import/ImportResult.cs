namespace XcatImageBuild.Bundles.Import;

/// <summary>What an import did.</summary>
/// <param name="Images">The names of the images imported, or only verified with <c>--verify-only</c>.</param>
/// <param name="Committed">Whether the site was changed (false with <c>--verify-only</c>).</param>
/// <param name="Plan">The plan that was committed or verified.</param>
public sealed record ImportResult(IReadOnlyList<string> Images, bool Committed, ImportPlan Plan)
{
    /// <summary>
    /// Whether part of the request was skipped (nodes of <c>-p</c> that are not defined), which makes the command
    /// fail as xCAT's does: its exit code is the OR of every error, the imported images notwithstanding.
    /// </summary>
    public bool AnythingSkipped => Plan.SkippedNodes.Count > 0;
}
