namespace XcatImageBuild.Bundles.Import;

/// <summary>One member of a bundle as it was unpacked into the staging directory.</summary>
/// <param name="Path">The member's path relative to the bundle root, without <c>./</c> (<c>img/manifest.xml</c>).</param>
/// <param name="Kind">What it is.</param>
/// <param name="Size">Bytes of a regular file; 0 for anything else.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of a regular file's content; null for anything else.</param>
/// <param name="LinkTarget">A symbolic link's target as stored; null for anything else.</param>
public sealed record StagingMember(string Path, StagingMemberKind Kind, long Size, string? Sha256, string? LinkTarget)
{
    /// <summary>The top-level directory (image directory) the member lies in, or the member itself at top level.</summary>
    public string TopLevel => Path.Split('/')[0];
}
