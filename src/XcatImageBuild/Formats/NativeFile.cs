using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace XcatImageBuild.Formats;

/// <summary>
/// The file metadata .NET does not expose — inode, link count, device numbers, extended attributes, ownership — read
/// and written through libc. statx is used because its layout is the same on every architecture.
/// </summary>
internal static partial class NativeFile
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxSize = 256;
    private const int ENODATA = 61;
    private const int EOPNOTSUPP = 95;
    private const int ERANGE = 34;

    /// <summary>lstat of a path, with its link target and extended attributes.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static FileStatus Stat(string path, bool readExtendedAttributes = true)
    {
        var name = NullTerminated(path);
        var buffer = new byte[StatxSize];
        if (statx(AtFdCwd, name, AtSymlinkNoFollow, StatxBasicStats, buffer) != 0)
        {
            throw Failure("stat", path);
        }

        var span = buffer.AsSpan();
        var mode = BinaryPrimitives.ReadUInt16LittleEndian(span[28..]);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.RegularFile,
            0x4000 => FileKind.Directory,
            0xA000 => FileKind.SymbolicLink,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            _ => FileKind.Socket,
        };
        return new FileStatus
        {
            Kind = kind,
            Permissions = mode & 0xFFF,
            LinkCount = BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            Uid = BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            Gid = BinaryPrimitives.ReadUInt32LittleEndian(span[24..]),
            Inode = BinaryPrimitives.ReadUInt64LittleEndian(span[32..]),
            Size = kind == FileKind.RegularFile ? (long)BinaryPrimitives.ReadUInt64LittleEndian(span[40..]) : 0,
            ModificationTime = BinaryPrimitives.ReadInt64LittleEndian(span[112..]),
            SpecialDevice = (BinaryPrimitives.ReadUInt32LittleEndian(span[128..]), BinaryPrimitives.ReadUInt32LittleEndian(span[132..])),
            Device = (BinaryPrimitives.ReadUInt32LittleEndian(span[136..]), BinaryPrimitives.ReadUInt32LittleEndian(span[140..])),
            LinkTarget = kind == FileKind.SymbolicLink ? new FileInfo(path).LinkTarget : null,
            ExtendedAttributes = readExtendedAttributes ? ReadExtendedAttributes(path, name) : [],
        };
    }

    /// <summary>Sets owner, permissions (setuid/setgid/sticky included) and mtime of <paramref name="path"/> from a status.</summary>
    public static void CopyMetadata(FileStatus status, string path)
    {
        var name = NullTerminated(path);
        // chown before chmod: changing the owner clears setuid and setgid.
        if (lchown(name, status.Uid, status.Gid) != 0 && Marshal.GetLastPInvokeError() != 1)
        {
            throw Failure("chown", path);
        }

        if (status.Kind == FileKind.SymbolicLink)
        {
            return;
        }

        File.SetUnixFileMode(path, (UnixFileMode)status.Permissions);
        File.SetLastWriteTimeUtc(path, DateTime.UnixEpoch.AddSeconds(status.ModificationTime));
    }

    /// <summary>Sets an extended attribute on a path without following a final symbolic link.</summary>
    /// <exception cref="IOException">The attribute cannot be set.</exception>
    public static void SetExtendedAttribute(string path, string attribute, byte[] value)
    {
        if (lsetxattr(NullTerminated(path), NullTerminated(attribute), value, (nuint)value.Length, 0) != 0)
        {
            throw Failure($"set {attribute} on", path);
        }
    }

    /// <summary>Makes <paramref name="link"/> a second name of the file <paramref name="existing"/> (link(2)).</summary>
    /// <exception cref="IOException">The link cannot be made; the message names the link.</exception>
    public static void HardLink(string existing, string link)
    {
        if (NativeLink(NullTerminated(existing), NullTerminated(link)) != 0)
        {
            throw Failure($"link {existing} as", link);
        }
    }

    /// <summary>Makes a character or block device node or a fifo (mknod(2)); <paramref name="mode"/> holds the type bits.</summary>
    /// <exception cref="IOException">The node cannot be made (without root, device nodes never can).</exception>
    public static void MakeNode(string path, int mode, uint major, uint minor)
    {
        var device = ((ulong)(major & 0xFFFFF000) << 32) | ((ulong)(major & 0xFFF) << 8) | ((ulong)(minor & 0xFFFFFF00) << 12) | (minor & 0xFF);
        if (mknod(NullTerminated(path), (uint)mode, device) != 0)
        {
            throw Failure("make the node", path);
        }
    }

    /// <summary>Sets the owner of a path without following a final symbolic link.</summary>
    /// <exception cref="IOException">The owner cannot be set.</exception>
    public static void SetOwner(string path, uint uid, uint gid)
    {
        if (lchown(NullTerminated(path), uid, gid) != 0)
        {
            throw Failure("chown", path);
        }
    }

    private static KeyValuePair<string, byte[]>[] ReadExtendedAttributes(string path, byte[] name)
    {
        var size = llistxattr(name, null, 0);
        if (size <= 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return size == 0 || error is EOPNOTSUPP or ENODATA ? [] : throw Failure("list the extended attributes of", path);
        }

        var list = new byte[size];
        size = llistxattr(name, list, (nuint)list.Length);
        if (size < 0)
        {
            throw Failure("list the extended attributes of", path);
        }

        var attributes = new List<KeyValuePair<string, byte[]>>();
        foreach (var attribute in Encoding.UTF8.GetString(list, 0, (int)size).Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal))
        {
            var attributeName = NullTerminated(attribute);
            var value = new byte[256];
            while (true)
            {
                var length = lgetxattr(name, attributeName, value, (nuint)value.Length);
                if (length >= 0)
                {
                    attributes.Add(new(attribute, value[..(int)length]));
                    break;
                }

                var error = Marshal.GetLastPInvokeError();
                if (error == ENODATA)
                {
                    break;
                }

                if (error != ERANGE)
                {
                    throw Failure($"read {attribute} of", path);
                }

                value = new byte[value.Length * 4];
            }
        }

        return [.. attributes];
    }

    private static byte[] NullTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static IOException Failure(string what, string path)
    {
        var error = Marshal.GetLastPInvokeError();
        return new IOException($"Cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(error)}", error);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int statx(int dirfd, byte[] path, int flags, uint mask, [Out] byte[] buffer);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint llistxattr(byte[] path, [Out] byte[]? list, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial nint lgetxattr(byte[] path, byte[] name, [Out] byte[] value, nuint size);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int lsetxattr(byte[] path, byte[] name, byte[] value, nuint size, int flags);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
    private static partial int NativeLink(byte[] existing, byte[] link);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int mknod(byte[] path, uint mode, ulong device);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int lchown(byte[] path, uint owner, uint group);
}
