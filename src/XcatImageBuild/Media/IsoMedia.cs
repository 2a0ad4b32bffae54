using System.Formats.Tar;
using System.Globalization;
using System.IO.Pipes;
using System.Text;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Media;

/// <summary>
/// An ISO image read without mounting it: <c>bsdtar</c> (libarchive, Debian's <c>libarchive-tools</c>) lists it,
/// prints its metadata files, and streams its whole tree as one tar archive that is copied entry by entry, so no
/// root, no loop device and no temporary copy are needed. The stream is GNU tar, not pax: bsdtar's pax writer splits
/// long names into the ustar prefix field, which System.Formats.Tar ignores in pax entries. The listing is bsdtar's
/// mtree of the image (names, kinds, sizes, times, modes, link targets; no data read), so a copy that is already in
/// place is recognised without reading a file of the image.
/// </summary>
public sealed class IsoMedia : IMediaSource
{
    private const string Tool = "bsdtar";

    private readonly string _iso;
    private readonly IProcessRunner _runner;
    private IReadOnlyList<MediaEntry>? _entries;

    /// <param name="iso">The ISO image.</param>
    /// <param name="runner">Runs bsdtar.</param>
    public IsoMedia(string iso, IProcessRunner runner)
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
    public IReadOnlyList<string> ListPaths() =>
        [.. ListEntries().Select(e => e.Path).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public IReadOnlyList<MediaEntry> ListEntries() => _entries ??= List();

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

    private List<MediaEntry> List()
    {
        // Listing reads every directory record, so a truncated or foreign file fails here, before anything is written.
        var result = _runner.RunUnchecked(new ToolCommand(Tool, ["-cf", "-", "--format=mtree", "--options=!all,type,size,time,mode,link", "@" + _iso]));
        if (result.ExitCode != 0)
        {
            throw Unreadable(result);
        }

        return [.. result.StandardOutput.Split('\n').Select(MtreeEntry).OfType<MediaEntry>()];
    }

    /// <summary>One line of bsdtar's mtree: an escaped name, then <c>key=value</c> words; null for the header and the top.</summary>
    private MediaEntry? MtreeEntry(string line)
    {
        if (line.Length == 0 || line.StartsWith('#'))
        {
            return null;
        }

        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var path = Normalize(Unescape(words[0]));
        if (path.Length == 0)
        {
            return null;
        }

        var values = words.Skip(1).Select(w => w.Split('=', 2)).Where(kv => kv.Length == 2).ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        var seconds = values.TryGetValue("time", out var time) ? decimal.Parse(time, CultureInfo.InvariantCulture) : 0;
        var modified = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        var mode = values.TryGetValue("mode", out var octal) ? (UnixFileMode)Convert.ToInt32(octal, 8) : UnixFileMode.None;
        return values.GetValueOrDefault("type") switch
        {
            "dir" => new MediaEntry(path, MediaEntryKind.Directory, 0, modified, mode, null, null),
            "link" => new MediaEntry(path, MediaEntryKind.SymbolicLink, 0, modified, mode, Unescape(values.GetValueOrDefault("link") ?? string.Empty), null),
            "file" => new MediaEntry(path, MediaEntryKind.File, long.Parse(values.GetValueOrDefault("size") ?? "0", CultureInfo.InvariantCulture), modified, mode, null, null),
            _ => null,
        };
    }

    /// <summary>mtree writes every byte outside printable ASCII, and space and backslash, as <c>\ooo</c> (octal).</summary>
    private static string Unescape(string word)
    {
        var bytes = new List<byte>(word.Length);
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] == '\\' && IsOctal(word, i + 1))
            {
                bytes.Add((byte)Convert.ToInt32(word.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(word[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static bool IsOctal(string word, int start) =>
        start + 3 <= word.Length && word.AsSpan(start, 3).IndexOfAnyExceptInRange('0', '7') < 0;

    /// <inheritdoc/>
    public void ReadEntries(Action<MediaEntry> copy)
    {
        ArgumentNullException.ThrowIfNull(copy);
        StreamTar(["-cf", "-", "--format=gnutar", "@" + _iso], copy);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// bsdtar's <c>--include</c> patterns are anchored at the start of the path and cover what lies below a matching
    /// directory; every pattern here names one file, with the pattern characters escaped, so it selects that file only.
    /// </remarks>
    public void ReadFiles(IReadOnlyCollection<string> paths, Action<MediaEntry> copy)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(copy);
        if (paths.Count == 0)
        {
            return;
        }

        var wanted = paths.ToHashSet(StringComparer.Ordinal);
        List<string> arguments = ["-cf", "-", "--format=gnutar"];
        arguments.AddRange(wanted.Order(StringComparer.Ordinal).Select(p => "--include=" + EscapePattern(p)));
        arguments.Add("@" + _iso);
        var delivered = 0;
        StreamTar(arguments, entry =>
        {
            if (entry.Kind == MediaEntryKind.File && wanted.Contains(entry.Path))
            {
                delivered++;
                copy(entry);
            }
        });
        if (delivered != wanted.Count)
        {
            throw new XcatException($"The ISO image {Name} no longer holds {wanted.Count - delivered} of the files its listing named; it changed during the copy.");
        }
    }

    /// <summary>A path as a bsdtar pattern that matches it literally: <c>*</c>, <c>?</c>, <c>[</c> and <c>\</c> escaped.</summary>
    internal static string EscapePattern(string path)
    {
        var pattern = new StringBuilder(path.Length + 8);
        foreach (var c in path)
        {
            if (c is '*' or '?' or '[' or ']' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.ToString();
    }

    private void StreamTar(IReadOnlyList<string> arguments, Action<MediaEntry> copy)
    {
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        using var reader = new AnonymousPipeClientStream(PipeDirection.In, pipe.ClientSafePipeHandle);
        using var stop = new CancellationTokenSource();
        var command = new ToolCommand(Tool, arguments);
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
