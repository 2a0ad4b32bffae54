using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using XcatImageBuild.Bundles.Import;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// Unpacks a bundle (a gzip tar, or a plain tar with <c>-n</c>) into a <see cref="StagingArea"/> member by member,
/// refusing anything that could land outside its image directory before it is written: absolute names, <c>..</c>,
/// duplicate members, symbolic or hard links leading out of the image directory, members reached through a
/// symbolic link, device nodes and fifos. Sizes are bounded while reading, so a gzip bomb fails at the bound.
/// Every regular file is hashed as it is written, for the checksum list.
/// </summary>
public static class BundleReader
{
    private const int TarBlock = 512;

    /// <summary>Unpacks <paramref name="bundlePath"/> into <paramref name="staging"/>.</summary>
    /// <exception cref="XcatException">The bundle is unreadable, malformed, hostile or too large; names the member.</exception>
    public static void Extract(string bundlePath, bool compressed, StagingArea staging, BundleReaderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(bundlePath);
        ArgumentNullException.ThrowIfNull(staging);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            using var file = new FileStream(bundlePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            if (compressed && !StartsWithGzipMagic(file))
            {
                throw Refuse(bundlePath, "it is not gzip-compressed (pass -n for a plain tar)");
            }

            using Stream decompressed = compressed ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var bounded = new BoundedStream(decompressed, limits.MaxBytes, bundlePath);
            ReadArchive(bundlePath, bounded, staging, limits);
            RequireNothingAfterTheEnd(bundlePath, bounded);
        }
        catch (InvalidDataException e)
        {
            throw Refuse(bundlePath, $"it is corrupt ({e.Message})");
        }
        catch (EndOfStreamException)
        {
            throw Refuse(bundlePath, "it is truncated");
        }
        catch (FileNotFoundException)
        {
            throw new XcatException($"Cannot find {bundlePath}");
        }
        catch (IOException e) when (e is not EndOfStreamException)
        {
            throw new XcatException($"Failed to extract bundle {bundlePath}: {e.Message}", 1, null, e);
        }
    }

    private static void ReadArchive(string bundlePath, BoundedStream input, StagingArea staging, BundleReaderLimits limits)
    {
        using var reader = new TarReader(input, leaveOpen: true);
        long members = 0;
        var sawEntry = false;
        while (reader.GetNextEntry(copyData: false) is { } entry)
        {
            sawEntry = true;
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes)
            {
                continue;
            }

            if (++members > limits.MaxMembers)
            {
                throw Refuse(bundlePath, $"it has more than {limits.MaxMembers} members (raise the bound with --max-members)");
            }

            var path = MemberPath(bundlePath, entry.Name);
            if (path is null)
            {
                // "./" itself, the root xCAT's `tar czf <b> .` writes first.
                RequireKind(bundlePath, entry, "./", TarEntryType.Directory);
                continue;
            }

            if (staging.Contains(path))
            {
                throw Refuse(bundlePath, $"the member '{entry.Name}' appears twice");
            }

            RefuseMembersBelowLinks(bundlePath, staging, path, entry.Name);
            staging.Add(Unpack(bundlePath, entry, path, staging));
        }

        if (!sawEntry)
        {
            throw Refuse(bundlePath, "it is empty or not a tar archive");
        }
    }

    private static StagingMember Unpack(string bundlePath, TarEntry entry, string path, StagingArea staging)
    {
        var target = staging.PathOf(path);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                Directory.CreateDirectory(target);
                return new StagingMember(path, StagingMemberKind.Directory, 0, null, null);
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                return WriteFile(entry, path, target, entry.DataStream, entry.Length);
            case TarEntryType.HardLink:
                return CopyHardLink(bundlePath, entry, path, target, staging);
            case TarEntryType.SymbolicLink:
                RequireLinkInside(bundlePath, entry, path, staging);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.CreateSymbolicLink(target, entry.LinkName);
                return new StagingMember(path, StagingMemberKind.SymbolicLink, 0, null, entry.LinkName);
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw Refuse(bundlePath, $"the member '{entry.Name}' is a device node");
            case TarEntryType.Fifo:
                throw Refuse(bundlePath, $"the member '{entry.Name}' is a fifo");
            default:
                throw Refuse(bundlePath, $"the member '{entry.Name}' has the unsupported tar type {entry.EntryType}");
        }
    }

    private static StagingMember WriteFile(TarEntry entry, string path, string target, Stream? data, long expectedLength)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (data is not null)
            {
                var buffer = new byte[1 << 16];
                int read;
                while ((read = data.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    output.Write(buffer, 0, read);
                    size += read;
                }
            }
        }

        if (size != expectedLength)
        {
            throw new EndOfStreamException();
        }

        // Permission bits only: a bundle does not get to plant set-user-ID programs in the install tree.
        File.SetUnixFileMode(target, (UnixFileMode)((int)entry.Mode & 0x1FF));
        return new StagingMember(path, StagingMemberKind.File, size, Convert.ToHexStringLower(hash.GetHashAndReset()), null);
    }

    private static StagingMember CopyHardLink(string bundlePath, TarEntry entry, string path, string target, StagingArea staging)
    {
        var linked = MemberPath(bundlePath, entry.LinkName);
        var original = linked is null ? null : staging.Find(linked);
        if (linked is null || SameImageDirectory(linked, path) is false)
        {
            throw Refuse(bundlePath, $"the hard link '{entry.Name}' leads out of its image directory (to '{entry.LinkName}')");
        }

        if (original is not { Kind: StagingMemberKind.File })
        {
            throw Refuse(bundlePath, $"the hard link '{entry.Name}' points to '{entry.LinkName}', which is not an earlier file of the bundle");
        }

        // A copy, not a link: what lands in the site is an ordinary file either way.
        using var source = File.OpenRead(staging.PathOf(linked));
        return WriteFile(entry, path, target, source, original.Size);
    }

    private static void RequireLinkInside(string bundlePath, TarEntry entry, string path, StagingArea staging)
    {
        var linkTarget = entry.LinkName;
        if (linkTarget.Length == 0 || linkTarget.StartsWith('/'))
        {
            throw Refuse(bundlePath, $"the symbolic link '{entry.Name}' leads out of its image directory (to '{linkTarget}')");
        }

        // Resolve the target through the links already unpacked, as the kernel would, and require every step to
        // stay inside the image directory.
        var imageDirectory = path.Split('/')[0];
        var resolved = Resolve(path[..Math.Max(path.LastIndexOf('/'), 0)], linkTarget, staging, 0);
        if (resolved is null || (resolved != imageDirectory && !resolved.StartsWith(imageDirectory + "/", StringComparison.Ordinal)))
        {
            throw Refuse(bundlePath, $"the symbolic link '{entry.Name}' leads out of its image directory (to '{linkTarget}')");
        }
    }

    /// <summary>The bundle-relative path <paramref name="relative"/> names from <paramref name="directory"/>, or null when it climbs above the bundle root.</summary>
    private static string? Resolve(string directory, string relative, StagingArea staging, int depth)
    {
        if (depth > 40)
        {
            return null;
        }

        var parts = new List<string>(directory.Split('/', StringSplitOptions.RemoveEmptyEntries));
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count <= 1)
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                continue;
            }

            parts.Add(part);
            var sofar = string.Join('/', parts);
            if (staging.Find(sofar) is { Kind: StagingMemberKind.SymbolicLink, LinkTarget: { } next })
            {
                if (next.StartsWith('/'))
                {
                    return null;
                }

                parts.RemoveAt(parts.Count - 1);
                var through = Resolve(string.Join('/', parts), next, staging, depth + 1);
                if (through is null)
                {
                    return null;
                }

                parts = [.. through.Split('/', StringSplitOptions.RemoveEmptyEntries)];
            }
        }

        return string.Join('/', parts);
    }

    private static void RefuseMembersBelowLinks(string bundlePath, StagingArea staging, string path, string name)
    {
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        while (slash > 0)
        {
            if (staging.Find(path[..slash]) is { Kind: StagingMemberKind.SymbolicLink })
            {
                throw Refuse(bundlePath, $"the member '{name}' lies below the symbolic link '{path[..slash]}'");
            }

            if (staging.Find(path[..slash]) is { Kind: StagingMemberKind.File })
            {
                throw Refuse(bundlePath, $"the member '{name}' lies below the file '{path[..slash]}'");
            }

            slash = path.IndexOf('/', slash + 1);
        }
    }

    /// <summary>The member's path without <c>./</c> and empty segments; null for the root itself.</summary>
    private static string? MemberPath(string bundlePath, string name)
    {
        if (name.StartsWith('/'))
        {
            throw Refuse(bundlePath, $"the member '{name}' has an absolute name");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                throw Refuse(bundlePath, $"the member '{name}' climbs out of the bundle ('..')");
            }

            if (part != ".")
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? null : string.Join('/', parts);
    }

    private static bool SameImageDirectory(string a, string b) =>
        string.Equals(a.Split('/')[0], b.Split('/')[0], StringComparison.Ordinal) && a.Contains('/', StringComparison.Ordinal);

    private static void RequireKind(string bundlePath, TarEntry entry, string what, TarEntryType kind)
    {
        if (entry.EntryType != kind)
        {
            throw Refuse(bundlePath, $"the member '{entry.Name}' ({what}) is a {entry.EntryType}, not a {kind}");
        }
    }

    /// <summary>
    /// GNU tar pads the archive with zero blocks after its end marker; anything else there is garbage, which a
    /// bundle that was tampered with or concatenated by mistake shows.
    /// </summary>
    private static void RequireNothingAfterTheEnd(string bundlePath, BoundedStream input)
    {
        var buffer = new byte[TarBlock * 16];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (buffer.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                throw Refuse(bundlePath, "it has trailing garbage after the end of the tar archive");
            }
        }
    }

    private static bool StartsWithGzipMagic(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        var read = file.Read(magic);
        file.Position = 0;
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static XcatException Refuse(string bundlePath, string why) =>
        new($"Failed to extract bundle {bundlePath}: {why}.");

    /// <summary>Counts the decompressed bytes and stops at the bound, so a gzip bomb fails fast.</summary>
    private sealed class BoundedStream(Stream inner, long maxBytes, string bundlePath) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _read;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _read += read;
            if (_read > maxBytes)
            {
                throw Refuse(bundlePath, $"it unpacks to more than {maxBytes} bytes (raise the bound with --max-size)");
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
