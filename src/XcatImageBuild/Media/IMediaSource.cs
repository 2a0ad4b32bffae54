namespace XcatImageBuild.Media;

/// <summary>A distribution media copycds reads: an ISO image (read through a standard tool) or an unpacked directory.</summary>
public interface IMediaSource
{
    /// <summary>The ISO or directory as the user named it, for messages.</summary>
    string Name { get; }

    /// <summary>About how many bytes <see cref="ReadEntries"/> delivers, for progress.</summary>
    long ApproximateSize { get; }

    /// <summary>Every path on the media (files, directories and links), relative to its top, sorted ordinally.</summary>
    /// <exception cref="XcatException">The media cannot be read.</exception>
    IReadOnlyList<string> ListPaths();

    /// <summary>
    /// Every entry (files, directories and links) with its size, time, mode and link target but no data, in media
    /// order: what a copy is compared against before any file is read.
    /// </summary>
    /// <exception cref="XcatException">The media cannot be read.</exception>
    IReadOnlyList<MediaEntry> ListEntries();

    /// <summary>The text of the metadata files among <paramref name="names"/> that the media holds.</summary>
    /// <exception cref="XcatException">The media cannot be read.</exception>
    IReadOnlyDictionary<string, string> ReadMetadata(IEnumerable<string> names);

    /// <summary>Hands every entry to <paramref name="copy"/> in media order; a directory comes before what it holds.</summary>
    /// <exception cref="XcatException">The media cannot be read, or is truncated.</exception>
    void ReadEntries(Action<MediaEntry> copy);

    /// <summary>
    /// Hands only the files named in <paramref name="paths"/> (paths as <see cref="ListEntries"/> gives them) to
    /// <paramref name="copy"/>, in media order, reading no other file's data.
    /// </summary>
    /// <exception cref="XcatException">The media cannot be read, is truncated, or no longer holds one of the files.</exception>
    void ReadFiles(IReadOnlyCollection<string> paths, Action<MediaEntry> copy);
}
