namespace XcatImageBuild.Bundles.Export;

/// <summary>What an export wrote.</summary>
/// <param name="BundlePath">The bundle, on disk.</param>
/// <param name="Skipped">
/// xCAT's errors that do not stop an export (a file that cannot be found, an extra that does not exist), in the order
/// they were met. xCAT prints each as an error and exits 1 when there is any, though the bundle is written.
/// </param>
public sealed record ExportResult(string BundlePath, IReadOnlyList<string> Skipped)
{
    /// <summary>Whether anything was skipped, which makes the command fail as xCAT's does (xcat-spec §1.10).</summary>
    public bool AnythingSkipped => Skipped.Count > 0;
}
