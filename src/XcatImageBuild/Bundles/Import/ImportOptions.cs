using XcatImageBuild.Bundles.Format;
namespace XcatImageBuild.Bundles.Import;

/// <summary>What <c>imgimport</c> was asked to do (xcat-spec §1.6, plus the safety flags of this implementation).</summary>
public sealed record ImportOptions
{
    /// <summary>The bundle file, as given on the command line.</summary>
    public required string BundlePath { get; init; }

    /// <summary><c>-n|--nozip</c>: the bundle is a plain tar.</summary>
    public bool NoZip { get; init; }

    /// <summary><c>-f|--profile</c>: import under this profile, with xCAT's rewrite rules (xcat-spec §1.8).</summary>
    public string? NewProfile { get; init; }

    /// <summary><c>-p|--postscripts</c>: write the bundle's postscripts for the nodes of this noderange (xcat-spec §1.9).</summary>
    public string? Noderange { get; init; }

    /// <summary><c>-R|--remotehost</c>: not supported; import refuses it with a clear message.</summary>
    public string? RemoteHost { get; init; }

    /// <summary><c>--allow-path</c>: logical prefixes, besides installdir and tftpdir, the bundle may write under.</summary>
    public IReadOnlyList<string> AllowedPrefixes { get; init; } = [];

    /// <summary><c>--require-checksums</c>: refuse a bundle whose image directories carry no SHA256SUMS.</summary>
    public bool RequireChecksums { get; init; }

    /// <summary>
    /// <c>--trusted-key</c>: minisign public key files on disk. When any is given, every image directory must carry a
    /// SHA256SUMS.minisig made by one of them over its SHA256SUMS, or nothing is imported.
    /// </summary>
    public IReadOnlyList<string> TrustedKeys { get; init; } = [];

    /// <summary><c>--require-signature</c>: refuse an image directory without a valid signature by a trusted key.</summary>
    public bool RequireSignature { get; init; }

    /// <summary><c>--verify-only</c>: check the bundle as an import would, then change nothing.</summary>
    public bool VerifyOnly { get; init; }

    /// <summary>Size bounds while unpacking.</summary>
    public BundleReaderLimits Limits { get; init; } = BundleReaderLimits.Default;

    /// <summary>
    /// Told each <see cref="ImportCommitStep"/> as the commit reaches it. Only fault-injection tests set it (to stop the
    /// process where an administrator's <c>kill -9</c> could); the CLI never does.
    /// </summary>
    public Action<ImportCommitStep>? OnCommitStep { get; init; }
}
