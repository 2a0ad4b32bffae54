using XcatImageBuild.Formats;

namespace XcatImageBuild.Diff;

/// <summary>One file of a root image as its archive records it: what imgdiff compares.</summary>
/// <param name="Kind">File, directory, link, device...</param>
/// <param name="Mode">Permission bits with setuid, setgid and sticky.</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Size">Bytes of content (regular files).</param>
/// <param name="LinkTarget">A symbolic link's target.</param>
/// <param name="Digest">A regular file's SHA-256 (lowercase hex); a device's <c>major:minor</c>.</param>
/// <param name="ModificationTime">Seconds since the epoch, as the archive records it (imgdiff compares it only when asked).</param>
public sealed record RootFile(FileKind Kind, int Mode, uint Uid, uint Gid, long Size, string? LinkTarget, string? Digest, long ModificationTime = 0);
