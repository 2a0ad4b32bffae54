namespace XcatImageBuild.Packimage;

/// <summary>What a pack produced.</summary>
/// <param name="Archive">The logical path of the archive (<c>.../rootimg.cpio.gz</c>).</param>
/// <param name="ArchiveFile">The archive on disk.</param>
/// <param name="Entries">How many members it holds.</param>
/// <param name="ImageUuid">The IMAGEUUID written to <c>/opt/xcat/xcatinfo</c>.</param>
public sealed record PackimageResult(string Archive, string ArchiveFile, int Entries, string ImageUuid);
