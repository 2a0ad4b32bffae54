using XcatImageBuild.Progress;

namespace XcatImageBuild.Media;

/// <summary>
/// Copies a media's tree into its directory under installdir, streaming, and leaves alone every file already there
/// with the same size and modification time. The media's listing is compared with the copy first: when every entry is
/// in place, no file of the media is read at all, so copying the same media again takes as long as listing it. When a
/// few files differ (a copy interrupted near its end, a file removed by hand), only those files are read from the
/// media; when many do, the media is streamed whole and only the files that differ are written. A fresh copy is built
/// beside the target and renamed into place; a copy over an existing tree replaces each changed file by a rename.
/// Either way a failure (a full disk, a truncated ISO) removes what this copy wrote and leaves the target as it was.
/// </summary>
public sealed class MediaCopier
{
    private const int BufferSize = 1 << 20;
    private const long ProgressEvery = 64L << 20;

    /// <summary>
    /// Past this many differing files a rerun streams the whole media: every selected file is one bsdtar pattern, and
    /// each entry of the media is matched against all of them.
    /// </summary>
    private const int MaxSelectedFiles = 4096;

    private readonly IProgressSink _progress;

    /// <param name="progress">Receives the bytes read of the media's size.</param>
    public MediaCopier(IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _progress = progress;
    }

    /// <summary>Copies <paramref name="media"/> into the directory <paramref name="target"/> (a path on disk).</summary>
    /// <param name="media">The media to copy.</param>
    /// <param name="target">The directory that receives the tree; created when missing.</param>
    /// <param name="protectOthers">
    /// The target already holds other media: a file that differs there is another media's and must not be
    /// overwritten (xCAT #5843), so the copy stops instead.
    /// </param>
    /// <exception cref="XcatException">The media cannot be read, a file cannot be written, or another media's file would be overwritten.</exception>
    public MediaCopyResult Copy(IMediaSource media, string target, bool protectOthers)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(target);
        var fresh = !Directory.Exists(target);
        var root = fresh ? Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".copycds-partial") : target;
        var run = new CopyRun(media, root, protectOthers && !fresh, _progress);
        IReadOnlyList<MediaEntry>? listing = null;
        List<MediaEntry>? differing = null;
        if (!fresh)
        {
            listing = media.ListEntries();
            var pending = run.NotInPlace(listing);
            if (pending.Count == 0)
            {
                _progress.Report(new ProgressEvent("copycds", "copy", media.ApproximateSize, media.ApproximateSize, ProgressUnit.Bytes));
                return new MediaCopyResult(0, listing.Count(e => e.Kind == MediaEntryKind.File), 0);
            }

            var files = pending.Where(e => e.Kind == MediaEntryKind.File).ToList();
            if (files.Count <= MaxSelectedFiles && files.Sum(e => e.Size) <= media.ApproximateSize / 2)
            {
                differing = files;
            }
        }

        try
        {
            if (fresh)
            {
                // A leftover from a copy that was killed: only copycds writes there.
                if (Directory.Exists(root))
                {
                    Directory.Delete(root, recursive: true);
                }

                Directory.CreateDirectory(root);
            }

            if (differing is not null)
            {
                run.CopySelected(listing!, differing);
            }
            else
            {
                media.ReadEntries(run.Copy);
            }

            if (fresh)
            {
                Directory.Move(root, target);
            }
        }
        catch (Exception e) when (e is XcatException or IOException or UnauthorizedAccessException)
        {
            run.Undo();
            if (fresh && Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            throw e as XcatException ?? new XcatException($"Cannot copy the media {media.Name} to {target}: {e.Message}", 1, null, e);
        }

        _progress.Report(new ProgressEvent("copycds", "copy", run.BytesRead, run.BytesRead, ProgressUnit.Bytes) { Finished = true });
        return new MediaCopyResult(run.Copied, run.Unchanged, run.BytesCopied);
    }

    /// <summary>One copy in progress: what it wrote, so a failure can take it back.</summary>
    private sealed class CopyRun(IMediaSource media, string root, bool protectOthers, IProgressSink progress)
    {
        private readonly List<string> _created = [];
        private readonly byte[] _buffer = new byte[BufferSize];
        private readonly long _total = Math.Max(1, media.ApproximateSize);
        private long _reported;
        private string? _writing;

        public int Copied { get; private set; }

        public int Unchanged { get; private set; }

        public long BytesCopied { get; private set; }

        public long BytesRead { get; private set; }

        public void Copy(MediaEntry entry)
        {
            var path = Destination(entry.Path);
            switch (entry.Kind)
            {
                case MediaEntryKind.Directory:
                    if (!Directory.Exists(path))
                    {
                        Directory.CreateDirectory(path);
                        _created.Add(path);
                    }

                    // ISO trees are read-only; the copy must stay writable for the next copy and for createrepo.
                    File.SetUnixFileMode(path, entry.Mode | UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    break;
                case MediaEntryKind.SymbolicLink:
                    CopyLink(entry, path);
                    break;
                case MediaEntryKind.File:
                    CopyFile(entry, path);
                    break;
            }
        }

        /// <summary>The listed entries that are not in the copy as the media has them, in media order.</summary>
        public List<MediaEntry> NotInPlace(IReadOnlyList<MediaEntry> entries) =>
            [.. entries.Where(entry =>
            {
                var path = Destination(entry.Path);
                return !(entry.Kind switch
                {
                    MediaEntryKind.Directory => Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null,
                    MediaEntryKind.SymbolicLink => new FileInfo(path).LinkTarget == entry.LinkTarget,
                    _ => IsCopied(entry, new FileInfo(path)),
                });
            })];

        /// <summary>
        /// Brings an existing copy up to date from the listing: directories and links (which carry no data) from the
        /// listing itself, then only the <paramref name="differing"/> files read from the media.
        /// </summary>
        public void CopySelected(IReadOnlyList<MediaEntry> listing, IReadOnlyList<MediaEntry> differing)
        {
            var selected = differing.Select(e => e.Path).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in listing)
            {
                if (entry.Kind != MediaEntryKind.File)
                {
                    Copy(entry);
                }
                else if (!selected.Contains(entry.Path))
                {
                    Unchanged++;
                    Advance(entry.Size);
                }
            }

            media.ReadFiles(selected, Copy);
        }

        public void Undo()
        {
            if (_writing is not null && File.Exists(_writing))
            {
                File.Delete(_writing);
            }

            for (var i = _created.Count - 1; i >= 0; i--)
            {
                var path = _created[i];
                if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
                {
                    Directory.Delete(path, recursive: true);
                }
                else if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
                {
                    File.Delete(path);
                }
            }
        }

        private void CopyLink(MediaEntry entry, string path)
        {
            var existing = new FileInfo(path);
            if (existing.LinkTarget == entry.LinkTarget)
            {
                return;
            }

            if (existing.Exists || existing.LinkTarget is not null)
            {
                Refuse(entry);
                File.Delete(path);
            }

            File.CreateSymbolicLink(path, entry.LinkTarget!);
            _created.Add(path);
        }

        private void CopyFile(MediaEntry entry, string path)
        {
            var existing = new FileInfo(path);
            var modified = entry.ModificationTime.UtcDateTime;
            if (IsCopied(entry, existing))
            {
                Unchanged++;
                Advance(entry.Size);
                return;
            }

            if (existing.Exists)
            {
                Refuse(entry);
            }

            // Written beside its final name and renamed, so the tree never holds half a file under a real name.
            var temporary = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".copycds-tmp");
            _writing = temporary;
            using (var output = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                BufferSize = 0,
                // Reserving the space up front makes a full disk fail at once rather than partway through the file.
                PreallocationSize = entry.Size,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                int read;
                while ((read = entry.Data!.Read(_buffer)) > 0)
                {
                    output.Write(_buffer, 0, read);
                    BytesCopied += read;
                    Advance(read);
                }
            }

            File.SetUnixFileMode(temporary, (entry.Mode & ~(UnixFileMode.SetUser | UnixFileMode.SetGroup)) | UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.SetLastWriteTimeUtc(temporary, modified);
            File.Move(temporary, path, overwrite: true);
            _writing = null;
            if (!existing.Exists)
            {
                _created.Add(path);
            }

            Copied++;
        }

        /// <summary>Whether the file is already there as the media has it: same size, same modification time to the second.</summary>
        private static bool IsCopied(MediaEntry entry, FileInfo existing) =>
            existing.Exists && existing.LinkTarget is null && existing.Length == entry.Size
            && Math.Abs((existing.LastWriteTimeUtc - entry.ModificationTime.UtcDateTime).TotalSeconds) < 1;

        /// <summary>The entry's place under the root; a path that climbs out of it is refused, as tar refuses it.</summary>
        private string Destination(string relative)
        {
            if (relative.StartsWith('/') || relative.Split('/').Any(s => s is ".." or "." or ""))
            {
                throw new XcatException($"The media {media.Name} holds the path '{relative}', which leaves its directory; it is refused.");
            }

            return Path.Combine(root, relative);
        }

        private void Refuse(MediaEntry entry)
        {
            if (protectOthers)
            {
                throw new XcatException(
                    $"{root} already holds another media of this distribution, whose {entry.Path} differs from the one on {media.Name}; " +
                    "it is not overwritten. Copy this media to another directory with -p.");
            }
        }

        private void Advance(long bytes)
        {
            BytesRead += bytes;
            if (BytesRead - _reported >= ProgressEvery)
            {
                _reported = BytesRead;
                progress.Report(new ProgressEvent("copycds", "copy", BytesRead, Math.Max(_total, BytesRead), ProgressUnit.Bytes));
            }
        }
    }
}
