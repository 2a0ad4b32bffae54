using System.Runtime.InteropServices;
using System.Text;

namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// The one way files are replaced whole: written under a hidden temporary name in the same directory
/// (<c>.NAME.RANDOM.tmp</c>), flushed to disk, renamed over the final name, and the directory flushed too — so a
/// reader, or a machine that loses power, sees the old file or the complete new one, never a part. A failed write
/// removes its temporary.
/// </summary>
public static partial class AtomicFile
{
    // NAME_MAX is 255 bytes; a temporary adds a dot and ".RANDOM.tmp" (17 bytes) to the name it stands for.
    private const int MaximumStemBytes = 200;
    private const int OpenReadOnlyCloseOnExec = 0x80000;

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/>.</summary>
    /// <param name="path">The file on disk.</param>
    /// <param name="content">Its new bytes.</param>
    /// <param name="mode">Its exact mode (not filtered by the umask); null for the usual new-file mode.</param>
    /// <exception cref="IOException">The file cannot be written; it is then as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be written to.</exception>
    public static void Write(string path, byte[] content, UnixFileMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        Write(path, stream => stream.Write(content), mode);
    }

    /// <summary>Replaces <paramref name="path"/> with what <paramref name="write"/> writes to the stream it is given.</summary>
    /// <param name="path">The file on disk.</param>
    /// <param name="write">Writes the new content; the stream is flushed to disk and closed after it returns.</param>
    /// <param name="mode">Its exact mode (not filtered by the umask); null for the usual new-file mode.</param>
    /// <exception cref="IOException">The file cannot be written; it is then as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be written to.</exception>
    public static void Write(string path, Action<Stream> write, UnixFileMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        Replace(path, temporary =>
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16 };
            if (mode is { } exact)
            {
                options.UnixCreateMode = exact;
            }

            using var stream = new FileStream(temporary, options);
            write(stream);
            stream.Flush(flushToDisk: true);
        }, mode);
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with the file <paramref name="write"/> creates at the temporary path it is
    /// given — for writers (mksquashfs, the archive writer) that take a file name.
    /// </summary>
    /// <param name="path">The file on disk.</param>
    /// <param name="write">Creates the file at the path it is given; it is flushed to disk after it returns.</param>
    /// <param name="mode">Its exact mode; null to keep the mode the writer gave it.</param>
    /// <exception cref="IOException">The file cannot be written; it is then as it was.</exception>
    /// <exception cref="UnauthorizedAccessException">The directory cannot be written to.</exception>
    public static void Create(string path, Action<string> write, UnixFileMode? mode = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        Replace(path, temporary =>
        {
            write(temporary);
            using var written = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            written.Flush(flushToDisk: true);
        }, mode);
    }

    /// <summary>
    /// Replaces many files at once, each as <see cref="Write(string, byte[], UnixFileMode?)"/> would, with one flush
    /// for all: every temporary is written, then each file system holding them is flushed once (syncfs), then each is
    /// renamed into place and each directory flushed once. Thousands of small files (nodeset's boot files) cost a
    /// few flushes instead of two each. A failure before the renames removes every temporary and changes no file.
    /// </summary>
    /// <param name="files">The files on disk, their bytes and exact modes.</param>
    /// <exception cref="IOException">A file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">A directory cannot be written to.</exception>
    public static void WriteMany(IReadOnlyList<(string Path, byte[] Content, UnixFileMode Mode)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var staged = new List<(string Temporary, string Full)>(files.Count);
        try
        {
            foreach (var (path, content, mode) in files)
            {
                var full = Path.GetFullPath(path);
                var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Stem(Path.GetFileName(full))}.{Path.GetRandomFileName()}.tmp");
                staged.Add((temporary, full));
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, UnixCreateMode = mode };
                using (var stream = new FileStream(temporary, options))
                {
                    stream.Write(content);
                }

                File.SetUnixFileMode(temporary, mode);
            }

            var directories = staged.Select(f => Path.GetDirectoryName(f.Full)!).Distinct(StringComparer.Ordinal).ToList();
            foreach (var directory in directories)
            {
                SyncFileSystem(directory);
            }
        }
        catch
        {
            foreach (var (temporary, _) in staged)
            {
                try
                {
                    File.Delete(temporary);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The write's own error is the one to report.
                }
            }

            throw;
        }

        foreach (var (temporary, full) in staged)
        {
            File.Move(temporary, full, overwrite: true);
        }

        foreach (var directory in staged.Select(f => Path.GetDirectoryName(f.Full)!).Distinct(StringComparer.Ordinal))
        {
            SyncDirectory(directory);
        }
    }

    /// <summary>Whether writers of <paramref name="path"/> killed midway left temporaries beside it.</summary>
    public static bool HasTemporaries(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        return Directory.Exists(directory) && Directory.EnumerateFiles(directory, $".{Stem(Path.GetFileName(full))}.*.tmp").Any();
    }

    /// <summary>Removes the temporaries that writers of <paramref name="path"/> killed midway left beside it.</summary>
    /// <exception cref="IOException">A temporary cannot be removed.</exception>
    public static void RemoveTemporaries(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var leftover in Directory.EnumerateFiles(directory, $".{Stem(Path.GetFileName(full))}.*.tmp"))
        {
            File.Delete(leftover);
        }
    }

    /// <summary><paramref name="name"/>, cut at a character boundary to at most <paramref name="maxBytes"/> bytes of UTF-8.</summary>
    internal static string Truncate(string name, int maxBytes)
    {
        var length = name.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(name.AsSpan(0, length)) > maxBytes)
        {
            length--;
        }

        if (length < name.Length && length > 0 && char.IsHighSurrogate(name[length - 1]))
        {
            length--;
        }

        return name[..length];
    }

    private static void Replace(string path, Action<string> write, UnixFileMode? mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        var temporary = Path.Combine(directory, $".{Stem(Path.GetFileName(full))}.{Path.GetRandomFileName()}.tmp");
        try
        {
            write(temporary);
            if (mode is { } exact)
            {
                // The create mode is filtered by the umask; the file must carry exactly the mode asked for.
                File.SetUnixFileMode(temporary, exact);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The write's own error is the one to report.
            }

            throw;
        }

        SyncDirectory(directory);
    }

    private static string Stem(string fileName) => Truncate(fileName, MaximumStemBytes);

    // The rename is durable only once the directory is on disk too. Some file systems refuse fsync on a directory;
    // the file is in place either way, so that is not an error.
    private static void SyncDirectory(string directory)
    {
        var descriptor = Open(directory, OpenReadOnlyCloseOnExec);
        if (descriptor >= 0)
        {
            _ = Fsync(descriptor);
            _ = Close(descriptor);
        }
    }

    // Flushes the file system holding the directory; where syncfs fails, every file system (sync).
    private static void SyncFileSystem(string directory)
    {
        var descriptor = Open(directory, OpenReadOnlyCloseOnExec);
        if (descriptor < 0 || Syncfs(descriptor) != 0)
        {
            Sync();
        }

        if (descriptor >= 0)
        {
            _ = Close(descriptor);
        }
    }

    [LibraryImport("libc", EntryPoint = "syncfs")]
    private static partial int Syncfs(int descriptor);

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void Sync();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
