namespace XcatImageBuild.Media;

/// <summary>One file, directory or symbolic link of a media, with its data while it is being copied.</summary>
/// <param name="Path">The path relative to the media's top, with <c>/</c> separators and no leading <c>./</c>.</param>
/// <param name="Kind">What the entry is.</param>
/// <param name="Size">The file's size in bytes; 0 for the others.</param>
/// <param name="ModificationTime">When the file last changed on the media.</param>
/// <param name="Mode">The permission bits.</param>
/// <param name="LinkTarget">A symbolic link's target; null for the others.</param>
/// <param name="Data">A file's data, readable once while the entry is current; null for the others.</param>
public sealed record MediaEntry(string Path, MediaEntryKind Kind, long Size, DateTimeOffset ModificationTime, UnixFileMode Mode, string? LinkTarget, Stream? Data);
