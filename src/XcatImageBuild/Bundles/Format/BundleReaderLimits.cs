namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// How much a bundle may unpack to. A bundle is untrusted input, so a gzip bomb, a tar of millions of empty members or
/// a path thousands of directories deep must fail as soon as it passes a bound, not after filling the disk or the
/// clock. The defaults are far above what real osimage bundles hold (an image directory with a manifest, a few
/// lists, the kernel, the initrd, one compressed root image, and extras of a few hundred files) and small enough
/// that every bound is reached within seconds. The member count is checked ahead, over the first 16 MiB of the
/// file, before any member is created (creating 10,000 empty files took 41 s on a loaded 2-core machine, so a
/// member bomb must not get that far); a bundle of 2,000,000 empty members is refused in about 2 s, and a gzip of
/// 100 GB of zeros passes 100 times its compressed size within its first 64 MiB unpacked, in about 2 s
/// (UntrustedBundleTests measures both through the executable).
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

    /// <summary>
    /// The most entries of a statelite image's root tree (<c>rootimgtree.gz</c>): real ones hold 20,000 to 300,000
    /// (a Debian minbase root about 10,000, a full RHEL compute image about 150,000).
    /// </summary>
    public long MaxTreeEntries { get; init; } = 2_000_000;

    /// <summary>The longest member name or link target, in bytes (Linux's PATH_MAX).</summary>
    public int MaxNameLength { get; init; } = 4096;
}
