using System.Formats.Tar;
using System.IO.Pipes;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Media;

/// <summary>
/// An ISO image read without mounting it: <c>bsdtar</c> (libarchive, Debian's <c>libarchive-tools</c>) lists it,
/// prints its metadata files, and streams its whole tree as one tar archive that is copied entry by entry, so no
/// root, no loop device and no temporary copy are needed. The stream is GNU tar, not pax: bsdtar's pax writer splits
/// long names into the ustar prefix field, which System.Formats.Tar ignores in pax entries.
/// </summary>
public sealed class IsoMedia : IMediaSource
{
    private const string Tool = "bsdtar";

    private readonly string _iso;
    private readonly ProcessRunner _runner;
    private IReadOnlyList<string>? _paths;

    /// <param name="iso">The ISO image.</param>
    /// <param name="runner">Runs bsdtar.</param>
    public IsoMedia(string iso, ProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(iso);
        ArgumentNullException.ThrowIfNull(runner);
        _iso = Path.GetFullPath(iso);
        _runner = runner;
        Name = iso;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public long ApproximateSize => new FileInfo(_iso).Length;

    /// <inheritdoc/>
    public IReadOnlyList<string> ListPaths() => _paths ??= List();

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string> ReadMetadata(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var present = ListPaths().ToHashSet(StringComparer.Ordinal);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names.Where(present.Contains))
        {
            var result = _runner.RunUnchecked(new ToolCommand(Tool, ["-xOf", _iso, name]));
            if (result.ExitCode != 0)
            {
                throw Unreadable(result);
            }

            found[name] = result.StandardOutput;
        }

        return found;
    }

    private List<string> List()
    {
        // Listing reads every directory record, so a truncated or foreign file fails here, before anything is written.
        var result = _runner.RunUnchecked(new ToolCommand(Tool, ["-tf", _iso]));
        if (result.ExitCode != 0)
        {
            throw Unreadable(result);
        }

        return [.. result.StandardOutput.Split('\n').Select(Normalize).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc/>
    public void ReadEntries(Action<MediaEntry> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using var stop = new CancellationTokenSource();
        var command = new ToolCommand(Tool, ["-cf", "-", "--format=gnutar", "@" + _iso]);
        // bsdtar writes into the pipe on a worker thread while this one copies; when the copy fails (a full disk),
        // cancelling kills bsdtar so it does not block on a pipe nobody reads.
        var producer = Task.Run(() =>
        {
            try
            {
                _runner.RunStreaming(command, null, pipe, stop.Token);
            }
            finally
            {
                pipe.Dispose();
            }
        });
        try
        {
            using var tar = new TarReader(reader);
            while (tar.GetNextEntry() is { } entry)
            {
                if (Entry(entry) is { } media)
                {
                    copy(media);
                }
            }
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or FormatException)
        {
            // The stream ended early: bsdtar's own error says why.
            WaitFor(producer);
            throw new XcatException($"The ISO image {Name} is truncated or damaged: {e.Message}", 1, null, e);
        }
        catch
        {
            stop.Cancel();
            reader.Dispose();
            Ignore(producer);
            throw;
        }

        WaitFor(producer);
    }

    private static MediaEntry? Entry(TarEntry entry)
    {
        var path = Normalize(entry.Name);
        if (path.Length == 0)
        {
            return null;
        }

        var mode = (UnixFileMode)entry.Mode;
        return entry.EntryType switch
        {
            TarEntryType.Directory => new MediaEntry(path, MediaEntryKind.Directory, 0, entry.ModificationTime, mode, null, null),
            TarEntryType.SymbolicLink => new MediaEntry(path, MediaEntryKind.SymbolicLink, 0, entry.ModificationTime, mode, entry.LinkName, null),
            TarEntryType.RegularFile or TarEntryType.V7RegularFile =>
                new MediaEntry(path, MediaEntryKind.File, entry.Length, entry.ModificationTime, mode, null, entry.DataStream ?? Stream.Null),
            // ISO 9660 has no hard links, devices or fifos worth copying; zisofs and the like arrive as regular files.
            _ => null,
        };
    }

    private static string Normalize(string name)
    {
        var path = name.Trim('\r').TrimEnd('/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }

        return path == "." ? string.Empty : path;
    }

    private void WaitFor(Task producer)
    {
        try
        {
            producer.GetAwaiter().GetResult();
        }
        catch (XcatException e)
        {
            throw new XcatException($"Cannot read the ISO image {Name}:\n{e.Message}", 1, null, e);
        }
    }

    private static void Ignore(Task producer)
    {
        try
        {
            producer.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is XcatException or OperationCanceledException or IOException)
        {
            // The copy's own error is the one to report; bsdtar was stopped because of it.
        }
    }

    private XcatException Unreadable(ToolResult result)
    {
        var reason = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(l => !l.Contains("Error exit delayed", StringComparison.Ordinal)) ?? $"bsdtar exit code {result.ExitCode}";
        return new XcatException($"Cannot read the ISO image {Name}: {reason.Replace("bsdtar: ", string.Empty, StringComparison.Ordinal)}");
    }
}
