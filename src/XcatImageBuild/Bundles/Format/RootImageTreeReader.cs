using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// Checks and unpacks a statelite bundle's <c>rootimgtree.gz</c> (a gzip'd newc cpio of <c>rootimg/</c>, xcat-spec
/// §1.4 step 2) with the same rules as bundle members: every name lies under <c>rootimg/</c>, with no absolute name
/// and no <c>..</c>; nothing is written through a link; a hard link joins names of the tree only; and every symbolic
/// link, judged once the whole tree is in place, stays inside it — an absolute target such as <c>/usr/bin/vi</c> is
/// read inside the tree, as the node that boots it reads it, and a relative one may not climb above <c>rootimg/</c>.
/// An OS root holds device nodes and set-user-ID programs, so those follow the rule an administrator expects of an
/// image: when run as root, owners are kept, the plain character devices a root needs before devtmpfs is mounted
/// (null, zero, full, random, urandom, tty, console, ptmx) are made, and set-user-ID and set-group-ID bits are kept
/// on programs under bin, sbin, lib*, usr and opt that only their owner can write. Every other device node (a disk, a
/// memory device) is skipped and every other set-ID bit dropped, and the <see cref="RootImageTreeReport"/> names
/// them. Without root, owners are not kept, no device node is made and no set-ID bit is kept.
/// </summary>
public static class RootImageTreeReader
{
    /// <summary>The directory every name of the archive lies in, as <c>find rootimg</c> lists it.</summary>
    public const string TopDirectory = "rootimg";

    private const int SetIdBits = 0xC00;
    private const int GroupOrOtherWrite = 0x12;

    private static readonly HashSet<(uint, uint)> PlainDevices = [(1, 3), (1, 5), (1, 7), (1, 8), (1, 9), (5, 0), (5, 1), (5, 2)];
    private static readonly HashSet<string> ProgramDirectories = new(["bin", "sbin", "lib", "lib32", "lib64", "libx32", "usr", "opt"], StringComparer.Ordinal);

    /// <summary>Reads the whole archive and applies every rule, writing nothing.</summary>
    /// <param name="archive">The rootimgtree.gz on disk.</param>
    /// <param name="source">The archive's name for messages (its bundle member).</param>
    /// <param name="limits">The bounds of the bundle it came in; entries are bounded by <see cref="BundleReaderLimits.MaxTreeEntries"/>.</param>
    /// <param name="asRoot">Whether owners, device nodes and set-ID bits may be kept (see the class).</param>
    /// <exception cref="XcatException">The archive is malformed, cut, too large or leads out; names the entry.</exception>
    public static RootImageTreeReport Check(string archive, string source, BundleReaderLimits limits, bool asRoot) =>
        Read(archive, null, source, limits, asRoot);

    /// <summary>Unpacks the archive into <paramref name="target"/> (which stands for <c>rootimg/</c> and must not exist yet).</summary>
    /// <exception cref="XcatException">As <see cref="Check"/>, or the tree cannot be written; names the entry.</exception>
    public static RootImageTreeReport Extract(string archive, string target, string source, BundleReaderLimits limits, bool asRoot)
    {
        ArgumentNullException.ThrowIfNull(target);
        return Read(archive, target, source, limits, asRoot);
    }

    private static RootImageTreeReport Read(string archive, string? target, string source, BundleReaderLimits limits, bool asRoot)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(limits);
        try
        {
            using var file = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var gzip = new VerifyingGzipStream(file, leaveOpen: true);
            using var bounded = new BundleReader.BoundedStream(gzip, gzip, limits, source);
            using var reader = new CpioReader(bounded, leaveOpen: true);
            return new Unpacking(target, limits, asRoot).Run(reader);
        }
        catch (InvalidDataException e)
        {
            throw new XcatException($"The root image tree {source} is refused: {e.Message.TrimEnd('.')}.", 1, null, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot unpack the root image tree {source}: {e.Message}", 1, null, e);
        }
    }

    private sealed class Unpacking(string? target, BundleReaderLimits limits, bool asRoot)
    {
        private readonly MemberTree _tree = new(absoluteLinksInRoot: true, "the root image tree");
        private readonly List<(string Path, CpioEntry Entry)> _directories = [];
        private readonly Dictionary<(long, uint, uint), HardLinks> _inodes = [];
        private readonly List<string> _skippedNodes = [];
        private readonly List<string> _droppedSetId = [];
        private int _keptNodes;
        private int _keptSetId;

        public RootImageTreeReport Run(CpioReader reader)
        {
            long entries = 0;
            while (reader.GetNextEntry() is { } entry)
            {
                if (++entries > limits.MaxTreeEntries)
                {
                    throw new InvalidDataException($"it has more than {limits.MaxTreeEntries} entries");
                }

                Add(entry, Segments(entry.Name));
            }

            _tree.RequireLinksInside();
            if (target is not null)
            {
                foreach (var links in _inodes.Values.Where(l => l.Data is null && l.Pending.Count > 0))
                {
                    // Names of one file whose data never came: cpio makes them one empty file.
                    WriteFile(links.Pending[0].Path, links.Pending[0].Entry, null);
                    links.Pending.Skip(1).ToList().ForEach(p => NativeFile.HardLink(links.Pending[0].Path, p.Path));
                }

                // Deepest first, after their content: a read-only directory must not stop its own files.
                foreach (var (path, entry) in Enumerable.Reverse(_directories))
                {
                    SetMetadata(path, entry, entry.Permissions);
                }
            }

            return new RootImageTreeReport(entries, _keptNodes, _skippedNodes, _keptSetId, _droppedSetId);
        }

        private void Add(CpioEntry entry, string[] segments)
        {
            var name = entry.Name;
            if (segments.Length == 1 && entry.Kind != FileKind.Directory)
            {
                throw new InvalidDataException($"the entry '{name}' is not a directory");
            }

            var kind = entry.Kind switch
            {
                FileKind.Directory => Import.StagingMemberKind.Directory,
                FileKind.SymbolicLink => Import.StagingMemberKind.SymbolicLink,
                _ => Import.StagingMemberKind.File,
            };
            _tree.Add(segments, name, kind, entry.LinkTarget);
            var path = target is null ? null : segments.Length == 1 ? target : Path.Combine(target, string.Join('/', segments[1..]));
            switch (entry.Kind)
            {
                case FileKind.Directory:
                    if (path is not null)
                    {
                        Directory.CreateDirectory(path);
                        _directories.Add((path, entry));
                    }

                    break;
                case FileKind.RegularFile:
                    AddFile(entry, segments, path);
                    break;
                case FileKind.SymbolicLink:
                    if (path is not null)
                    {
                        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                        File.CreateSymbolicLink(path, entry.LinkTarget!);
                        if (asRoot)
                        {
                            NativeFile.SetOwner(path, entry.Header.Uid, entry.Header.Gid);
                        }
                    }

                    break;
                case FileKind.CharacterDevice or FileKind.BlockDevice or FileKind.Fifo:
                    AddNode(entry, path);
                    break;
                default:
                    _skippedNodes.Add(name);
                    break;
            }
        }

        private void AddFile(CpioEntry entry, string[] segments, string? path)
        {
            var permissions = entry.Permissions;
            if ((permissions & SetIdBits) != 0)
            {
                if (asRoot && ProgramDirectories.Contains(segments.Length > 2 ? segments[1] : string.Empty) && (permissions & GroupOrOtherWrite) == 0)
                {
                    _keptSetId++;
                }
                else
                {
                    _droppedSetId.Add(entry.Name);
                    permissions &= ~SetIdBits;
                }
            }

            if (path is null)
            {
                return;
            }

            if (entry.Header.Links <= 1)
            {
                WriteFile(path, entry, entry.DataStream, permissions);
                return;
            }

            // newc hard links share an inode number; GNU cpio and our writer send the data with the last name.
            var key = (entry.Header.Inode, entry.Device.Major, entry.Device.Minor);
            if (!_inodes.TryGetValue(key, out var links))
            {
                _inodes[key] = links = new HardLinks();
            }

            if (links.Data is { } written)
            {
                NativeFile.HardLink(written, path);
            }
            else if (entry.Header.DataLength > 0)
            {
                WriteFile(path, entry, entry.DataStream, permissions);
                links.Data = path;
                links.Pending.ForEach(p => NativeFile.HardLink(path, p.Path));
                links.Pending.Clear();
            }
            else
            {
                links.Pending.Add((path, entry));
            }
        }

        private void AddNode(CpioEntry entry, string? path)
        {
            var plain = entry.Kind == FileKind.Fifo || (entry.Kind == FileKind.CharacterDevice && PlainDevices.Contains(entry.SpecialDevice));
            if (!asRoot || !plain)
            {
                _skippedNodes.Add(entry.Name);
                return;
            }

            _keptNodes++;
            if (path is not null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                NativeFile.MakeNode(path, (entry.Header.Mode & 0xF000) | (entry.Permissions & 0x1FF), entry.SpecialDevice.Major, entry.SpecialDevice.Minor);
                SetMetadata(path, entry, entry.Permissions & 0x1FF);
            }
        }

        private void WriteFile(string path, CpioEntry entry, Stream? data, int? permissions = null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                data?.CopyTo(output);
            }

            SetMetadata(path, entry, permissions ?? (entry.Permissions & ~SetIdBits));
        }

        // chown before chmod: changing the owner clears set-user-ID and set-group-ID.
        private void SetMetadata(string path, CpioEntry entry, int permissions)
        {
            if (asRoot)
            {
                NativeFile.SetOwner(path, entry.Header.Uid, entry.Header.Gid);
            }

            File.SetUnixFileMode(path, (UnixFileMode)permissions);
            File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(entry.Header.ModificationTime));
        }

        /// <summary>The name's segments: <c>rootimg</c> first, without <c>.</c> and empty ones.</summary>
        private string[] Segments(string name)
        {
            if (name.StartsWith('/'))
            {
                throw new InvalidDataException($"the entry '{name}' has an absolute name");
            }

            if (name.AsSpan().Count('/') + 1 > limits.MaxPathDepth)
            {
                throw new InvalidDataException($"the entry '{name}' is more than {limits.MaxPathDepth} levels deep");
            }

            var parts = new List<string>();
            foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (part == "..")
                {
                    throw new InvalidDataException($"the entry '{name}' climbs out of the tree ('..')");
                }

                if (part != ".")
                {
                    parts.Add(part);
                }
            }

            return parts.Count > 0 && parts[0] == TopDirectory
                ? [.. parts]
                : throw new InvalidDataException($"the entry '{name}' lies outside {TopDirectory}/");
        }
    }

    private sealed class HardLinks
    {
        public string? Data { get; set; }

        public List<(string Path, CpioEntry Entry)> Pending { get; } = [];
    }
}
