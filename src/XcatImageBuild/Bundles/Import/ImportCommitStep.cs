namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// The points of an import's commit, in order, at which <see cref="ImportOptions.OnCommitStep"/> is told where the
/// commit stands. The kill tests stop the process at each of them, as an administrator's <c>kill -9</c> would.
/// </summary>
public enum ImportCommitStep
{
    /// <summary>The journal is on disk (state <c>prepare</c>); nothing visible has changed yet.</summary>
    JournalWritten,

    /// <summary>Every staged file waits beside its destination and the journal says <c>prepared</c>.</summary>
    FilesPrepared,

    /// <summary>One more file was renamed into place.</summary>
    FileMoved,

    /// <summary>Every file is in place; the rows are not written yet.</summary>
    BeforeTransaction,

    /// <summary>The rows' transaction committed; the journal still says <c>prepared</c>.</summary>
    AfterTransaction,
}
