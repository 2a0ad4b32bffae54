using System.Security.Cryptography;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// Unpacks a bundle (a gzip tar, or a plain tar with <c>-n</c>) into a <see cref="StagingArea"/> member by member,
/// through the verifying gzip and tar readers, refusing anything that could land outside its image directory before
/// it is written: absolute names, <c>..</c>, duplicate members, hard links leading out of the image directory,
/// members reached through a symbolic link or a file, device nodes and fifos. Once every member is in place, each
/// symbolic link is resolved against the final tree and refused if it leads out. Sizes, member counts, name lengths
/// and depths and the ratio of unpacked to packed bytes are bounded while reading, so bombs fail at the bound; every
/// check costs the length of the names it looks at, so the whole read is linear in the bundle.
/// Every regular file is hashed as it is written, for the checksum list.
/// </summary>
public static class BundleReader
{
    // How much of the bundle file the member count looks ahead through before anything is written: a member costs
    // a few dozen compressed bytes at least, so a bundle over the member bound shows it within this window.
    private const long CountAhead = 16L << 20;

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
            RequireCompression(bundlePath, file, compressed);
            CountMembersAhead(bundlePath, file, compressed, limits);
            using var gzip = compressed ? new VerifyingGzipStream(file, leaveOpen: true) : null;
            using var bounded = new BoundedStream(gzip ?? (Stream)file, gzip, limits, bundlePath);
            using var reader = new StrictTarReader(bounded, leaveOpen: true, limits.MaxNameLength);
            var tree = new MemberTree();
            ReadArchive(bundlePath, reader, bounded, staging, tree, limits);
            tree.RequireLinksInside();
        }
        catch (InvalidDataException e)
        {
            throw Refuse(bundlePath, e.Message);
        }
        catch (FileNotFoundException)
        {
            throw new XcatException($"Cannot find {bundlePath}");
        }
        catch (IOException e)
        {
            throw new XcatException($"Failed to extract bundle {bundlePath}: {e.Message}", 1, null, e);
        }
    }

    /// <summary>
    /// Counts the members in the first <see cref="CountAhead"/> bytes of the file, reading headers only, so a bundle
    /// of millions of empty members is refused before the first of them is created in staging (creating files is
    /// what makes such a bundle slow). Malformed data found here is left for the unpacking pass to report in order.
    /// </summary>
    private static void CountMembersAhead(string bundlePath, FileStream file, bool compressed, BundleReaderLimits limits)
    {
        try
        {
            using var window = new WindowStream(file, CountAhead);
            using var gzip = compressed ? new VerifyingGzipStream(window, leaveOpen: true) : null;
            using var bounded = new BoundedStream(gzip ?? (Stream)window, gzip, limits, bundlePath);
            using var reader = new StrictTarReader(bounded, leaveOpen: true, limits.MaxNameLength);
            long members = 0;
            while (reader.GetNextMember() is not null)
            {
                if (++members > limits.MaxMembers)
                {
                    throw Refuse(bundlePath, $"it has more than {limits.MaxMembers} members (raise the bound with --max-members)");
                }
            }
        }
        catch (InvalidDataException)
        {
        }
        finally
        {
            file.Position = 0;
        }
    }

    private static void ReadArchive(string bundlePath, StrictTarReader reader, BoundedStream input, StagingArea staging, MemberTree tree, BundleReaderLimits limits)
    {
        long members = 0;
        while (reader.GetNextMember() is { } member)
        {
            if (++members > limits.MaxMembers)
            {
                throw Refuse(bundlePath, $"it has more than {limits.MaxMembers} members (raise the bound with --max-members)");
            }

            var header = member.Header;
            if (header.DataLength > limits.MaxBytes - input.Position)
            {
                throw Refuse(bundlePath, $"the member '{member.Name}' claims {header.DataLength} bytes, more than it may unpack to ({limits.MaxBytes}; raise the bound with --max-size)");
            }

            var segments = MemberSegments(member.Name, limits);
            if (segments.Length == 0)
            {
                // "./" itself, the root xCAT's `tar czf <b> .` writes first.
                if (header.Kind != FileKind.Directory || member.IsHardLink)
                {
                    throw new InvalidDataException($"the member '{member.Name}' (the bundle root) is not a directory");
                }

                continue;
            }

            var path = string.Join('/', segments);
            staging.Add(Unpack(member, segments, path, staging, tree, limits));
        }
    }

    private static StagingMember Unpack(TarMember member, string[] segments, string path, StagingArea staging, MemberTree tree, BundleReaderLimits limits)
    {
        var header = member.Header;
        var target = staging.PathOf(path);
        if (member.IsHardLink)
        {
            var linked = CopyHardLinkSource(member, segments, tree, staging, limits);
            tree.Add(segments, member.Name, StagingMemberKind.File, null);
            using var source = File.OpenRead(staging.PathOf(linked.Path));
            return WriteFile(header, path, target, source, linked.Size);
        }

        switch (header.Kind)
        {
            case FileKind.Directory:
                // Recorded, not created: a file below makes its parents, and a planned directory is made at its destination.
                tree.Add(segments, member.Name, StagingMemberKind.Directory, null);
                return new StagingMember(path, StagingMemberKind.Directory, 0, null, null);
            case FileKind.RegularFile:
                tree.Add(segments, member.Name, StagingMemberKind.File, null);
                return WriteFile(header, path, target, member.DataStream, header.DataLength);
            case FileKind.SymbolicLink:
                var linkTarget = header.LinkName!;
                if (linkTarget.StartsWith('/'))
                {
                    throw new InvalidDataException($"the symbolic link '{member.Name}' leads out of its image directory (to '{linkTarget}')");
                }

                RequireDepth(linkTarget, $"the target of the symbolic link '{member.Name}'", limits);
                // Recorded, not created: StagingArea.Realize makes the link once the plan puts it somewhere.
                tree.Add(segments, member.Name, StagingMemberKind.SymbolicLink, linkTarget);
                return new StagingMember(path, StagingMemberKind.SymbolicLink, 0, null, linkTarget);
            case FileKind.CharacterDevice or FileKind.BlockDevice:
                throw new InvalidDataException($"the member '{member.Name}' is a device node");
            case FileKind.Fifo:
                throw new InvalidDataException($"the member '{member.Name}' is a fifo");
            default:
                throw new InvalidDataException($"the member '{member.Name}' is a socket");
        }
    }

    private static StagingMember CopyHardLinkSource(TarMember member, string[] segments, MemberTree tree, StagingArea staging, BundleReaderLimits limits)
    {
        var linkName = member.Header.HardLinkTo!;
        var linked = MemberSegments(linkName, limits, $"the target of the hard link '{member.Name}'");
        if (linked.Length < 2 || !string.Equals(linked[0], segments[0], StringComparison.Ordinal))
        {
            throw new InvalidDataException($"the hard link '{member.Name}' leads out of its image directory (to '{linkName}')");
        }

        return tree.IsFile(linked) && staging.Find(string.Join('/', linked)) is { } original
            ? original
            : throw new InvalidDataException($"the hard link '{member.Name}' points to '{linkName}', which is not an earlier file of the bundle");
    }

    private static StagingMember WriteFile(TarHeader header, string path, string target, Stream? data, long expectedLength)
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
            throw new InvalidDataException($"the member '{header.Name}' has {size} bytes, not the {expectedLength} its header gives");
        }

        // Permission bits only: a bundle does not get to plant set-user-ID programs in the install tree.
        File.SetUnixFileMode(target, (UnixFileMode)(header.Mode & 0x1FF));
        return new StagingMember(path, StagingMemberKind.File, size, Convert.ToHexStringLower(hash.GetHashAndReset()), null);
    }

    /// <summary>The member's path segments without <c>.</c> and empty ones; none for the root itself.</summary>
    private static string[] MemberSegments(string name, BundleReaderLimits limits, string? what = null)
    {
        what ??= $"the member '{name}'";
        if (name.StartsWith('/'))
        {
            throw new InvalidDataException($"{what} has an absolute name");
        }

        RequireDepth(name, what, limits);
        var parts = new List<string>();
        foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                throw new InvalidDataException(what == $"the member '{name}'"
                    ? $"the member '{name}' climbs out of the bundle ('..')"
                    : $"{what} ('{name}') climbs out of the bundle ('..')");
            }

            if (part != ".")
            {
                parts.Add(part);
            }
        }

        return [.. parts];
    }

    private static void RequireDepth(string path, string what, BundleReaderLimits limits)
    {
        var depth = path.AsSpan().Count('/') + 1;
        if (depth > limits.MaxPathDepth)
        {
            throw new InvalidDataException($"{what} is {depth} levels deep; at most {limits.MaxPathDepth} are allowed");
        }
    }

    /// <summary>
    /// Names what the bundle is when it is not what <c>-n</c> says: a plain tar read as gzip, gzip read as a plain
    /// tar, or another compression (xz, zstd...) that is neither.
    /// </summary>
    private static void RequireCompression(string bundlePath, FileStream file, bool compressed)
    {
        var start = new byte[512];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        var kind = CompressionMagic.Name(start.AsSpan(0, Math.Min(read, CompressionMagic.Length)));
        var plainTar = read == 512 && (start.AsSpan(257, 5).SequenceEqual("ustar"u8));
        if (compressed && kind != "gzip")
        {
            throw Refuse(bundlePath, kind is not null
                ? $"it is {kind}-compressed; imgimport reads gzip bundles (or a plain tar with -n)"
                : plainTar ? "it is a plain tar, not gzip-compressed (pass -n for a plain tar)" : "it is not gzip-compressed, nor a plain tar");
        }

        if (!compressed && kind is not null && !plainTar)
        {
            throw Refuse(bundlePath, $"it is {kind}-compressed, not a plain tar (drop -n{(kind == "gzip" ? string.Empty : "; imgimport reads gzip bundles")})");
        }
    }

    internal static XcatException Refuse(string bundlePath, string why) =>
        new($"Failed to extract bundle {bundlePath}: {why.TrimEnd('.')}.");

    /// <summary>The first bytes of a file, up to a bound; the file seems to end there.</summary>
    private sealed class WindowStream(Stream inner, long length) : ReadOnlyStream
    {
        private long _read;

        protected override long BytesRead => _read;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, length - _read)]);
            _read += read;
            return read;
        }
    }

    /// <summary>
    /// Counts the decompressed bytes and stops at the bounds: the total, and the ratio to the compressed bytes read,
    /// so a gzip bomb fails within its first megabytes rather than after the whole bound.
    /// </summary>
    internal sealed class BoundedStream(Stream inner, VerifyingGzipStream? gzip, BundleReaderLimits limits, string bundlePath) : ReadOnlyStream
    {
        private long _read;

        protected override long BytesRead => _read;

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _read += read;
            if (_read > limits.MaxBytes)
            {
                throw Refuse(bundlePath, $"it unpacks to more than {limits.MaxBytes} bytes (raise the bound with --max-size)");
            }

            if (gzip is not null && _read > limits.ExpansionAllowance && _read / Math.Max(gzip.CompressedBytesRead, 1) > limits.MaxExpansionRatio)
            {
                throw Refuse(
                    bundlePath,
                    $"it unpacks to more than {limits.MaxExpansionRatio} times its compressed size ({_read} bytes from the first {gzip.CompressedBytesRead}), which real bundles never do: a gzip bomb");
            }

            return read;
        }
    }
}
