namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// How much a bundle may unpack to. A bundle is untrusted input, so a gzip bomb or a tar of millions of empty members
/// must fail as soon as it passes a bound, not after filling the disk.
/// </summary>
/// <param name="MaxBytes">The most decompressed tar bytes read (headers and padding included).</param>
/// <param name="MaxMembers">The most tar members.</param>
public sealed record BundleReaderLimits(long MaxBytes, long MaxMembers)
{
    /// <summary>64 GiB and one million members: far above any osimage bundle, far below a full disk.</summary>
    public static BundleReaderLimits Default { get; } = new(64L * 1024 * 1024 * 1024, 1_000_000);
}
