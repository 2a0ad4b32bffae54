namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// How much a bundle may unpack to. A bundle is untrusted input, so a gzip bomb, a tar of millions of empty members or
/// a path thousands of directories deep must fail as soon as it passes a bound, not after filling the disk or the
/// clock. The defaults are far above what real osimage bundles hold (an image directory with a manifest, a few
/// lists, the kernel, the initrd, one compressed root image, and extras of a few hundred files) and small enough
/// that every bound is reached within seconds: 100,000 empty members unpack in about 4 s on a 2-core machine, and a
/// gzip of zeros passes 100 times its compressed size within its first 100 MB.
/// </summary>
/// <param name="MaxBytes">The most decompressed tar bytes read (headers and padding included).</param>
/// <param name="MaxMembers">The most tar members.</param>
public sealed record BundleReaderLimits(long MaxBytes, long MaxMembers)
{
    /// <summary>64 GiB, 100,000 members, 100 times the compressed size, 256 directories deep.</summary>
    public static BundleReaderLimits Default { get; } = new(64L * 1024 * 1024 * 1024, 100_000);

    /// <summary>
    /// The most decompressed bytes per compressed byte, checked once <see cref="ExpansionAllowance"/> bytes are out.
    /// Real bundles hold mostly compressed files (the root image, kernel, initrd) and unpack to little more than
    /// their size; deflate's ceiling is about 1032, which only long runs of one byte reach.
    /// </summary>
    public long MaxExpansionRatio { get; init; } = 100;

    /// <summary>Decompressed bytes read before <see cref="MaxExpansionRatio"/> applies, so small, very compressible bundles pass.</summary>
    public long ExpansionAllowance { get; init; } = 64L * 1024 * 1024;

    /// <summary>The most directory levels in a member name or a symbolic link's target.</summary>
    public int MaxPathDepth { get; init; } = 256;

    /// <summary>The longest member name or link target, in bytes (Linux's PATH_MAX).</summary>
    public int MaxNameLength { get; init; } = 4096;
}
