namespace XcatImageBuild.Bundles.Export;

/// <summary>What <c>imgexport</c> was asked to do (xcat-spec §1.1).</summary>
public sealed record ExportOptions
{
    /// <summary>The osimage to export (may be empty: xCAT then fails the lookup).</summary>
    public required string ImageName { get; init; }

    /// <summary>The bundle name; only its last path component is used. Null or empty gives <c>&lt;image&gt;.tgz</c>.</summary>
    public string? Destination { get; init; }

    /// <summary>The directory the bundle is written to (the client's working directory), on disk.</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The <c>-e src[:dir]</c> arguments, in order; src is a logical path of the site.</summary>
    public IReadOnlyList<string> Extras { get; init; } = [];

    /// <summary>The <c>-p</c> node (or noderange: its first node is used), or null.</summary>
    public string? PostscriptsNode { get; init; }

    /// <summary>The <c>-R user@host</c> value, or null. Remote copies are not supported.</summary>
    public string? RemoteHost { get; init; }

    /// <summary>Whether to print xCAT's verbose lines (<c>-v</c>).</summary>
    public bool Verbose { get; init; }

    /// <summary>
    /// <c>SOURCE_DATE_EPOCH</c>: when set, every member's time. Otherwise members get the export's start time, as
    /// xCAT's <c>cp</c> without <c>-p</c> gives them.
    /// </summary>
    public long? SourceDateEpoch { get; init; }

    /// <summary>
    /// <c>--sign KEYFILE</c>: an unencrypted minisign secret key on disk; the bundle then carries
    /// <c>./&lt;image&gt;/SHA256SUMS.minisig</c>, its signature of SHA256SUMS. Null: unsigned.
    /// </summary>
    public string? SigningKey { get; init; }
}
