namespace XcatImageBuild.Media;

/// <summary>A media already unpacked in a directory (a mounted DVD, an rsync of a mirror's tree).</summary>
public sealed class DirectoryMedia : IMediaSource
{
    private readonly string _directory;

    /// <param name="directory">The media's top directory.</param>
    public DirectoryMedia(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        _directory = Path.GetFullPath(directory);
        Name = directory;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long ApproximateSize => Walk().Where(e => e.Info is FileInfo { LinkTarget: null }).Sum(e => ((FileInfo)e.Info).Length);

    /// <inheritdoc/>
    public IReadOnlyList<string> ListPaths() => [.. Walk().Select(e => e.Path).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ReadMetadata(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var path = Path.Combine(_directory, name);
            if (File.Exists(path))
            {
                found[name] = Read(() => File.ReadAllText(path), path);
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public IReadOnlyList<MediaEntry> ListEntries() => [.. Walk().Select(e => Describe(e.Path, e.Info, null)).OfType<MediaEntry>()];

    /// <inheritdoc/>
    public void ReadEntries(Action<MediaEntry> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        foreach (var (path, info) in Walk())
        {
            using var data = info is FileInfo { LinkTarget: null } file
                ? Read(() => new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20), file.FullName)
                : null;
            if (Describe(path, info, data) is { } entry)
            {
                copy(entry);
            }
        }
    }

    /// <inheritdoc/>
    public void ReadFiles(IReadOnlyCollection<string> paths, Action<MediaEntry> copy)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(copy);
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var file = new FileInfo(Path.Combine(_directory, path));
            if (!file.Exists || file.LinkTarget is not null)
            {
                throw new XcatException($"The media {Name} no longer holds the file {path}; it changed during the copy.");
            }

            using var data = Read(() => new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20), file.FullName);
            copy(Describe(path, file, data)!);
        }
    }

    private static MediaEntry? Describe(string path, FileSystemInfo info, Stream? data)
    {
        var mode = File.GetUnixFileMode(info.FullName);
        return info.LinkTarget is { } target ? new MediaEntry(path, MediaEntryKind.SymbolicLink, 0, info.LastWriteTimeUtc, mode, target, null)
            : info is DirectoryInfo ? new MediaEntry(path, MediaEntryKind.Directory, 0, info.LastWriteTimeUtc, mode, null, null)
            : info is FileInfo file ? new MediaEntry(path, MediaEntryKind.File, file.Length, file.LastWriteTimeUtc, mode, null, data)
            : null;
    }

    /// <summary>Depth first and sorted, so a directory comes before its contents and two walks agree.</summary>
    private IEnumerable<(string Path, FileSystemInfo Info)> Walk()
    {
        var pending = new Stack<(string Relative, DirectoryInfo Directory)>();
        pending.Push((string.Empty, new DirectoryInfo(_directory)));
        while (pending.Count > 0)
        {
            var (relative, directory) = pending.Pop();
            var children = Read(() => directory.GetFileSystemInfos(), directory.FullName).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            foreach (var child in children)
            {
                var path = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
                yield return (path, child);
            }

            foreach (var child in children.OfType<DirectoryInfo>().Where(d => d.LinkTarget is null).Reverse())
            {
                pending.Push((relative.Length == 0 ? child.Name : relative + "/" + child.Name, child));
            }
        }
    }

    private static T Read<T>(Func<T> read, string path)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the media file {path}: {e.Message}", 1, null, e);
        }
    }
}
