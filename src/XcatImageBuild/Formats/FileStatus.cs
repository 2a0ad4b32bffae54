namespace XcatImageBuild.Formats;

/// <summary>What <c>lstat</c> says about one file, plus its link target and extended attributes when read.</summary>
public sealed record FileStatus
{
    public required FileKind Kind { get; init; }

    /// <summary>The permission bits with setuid, setgid and sticky (the low 12 bits of st_mode).</summary>
    public required int Permissions { get; init; }

    public required uint Uid { get; init; }

    public required uint Gid { get; init; }

    /// <summary>Modification time, seconds since the epoch.</summary>
    public required long ModificationTime { get; init; }

    public required long Size { get; init; }

    public required ulong Inode { get; init; }

    public required uint LinkCount { get; init; }

    /// <summary>The device the file lives on (major, minor), to keep a walk on one file system and to tell hard links apart.</summary>
    public required (uint Major, uint Minor) Device { get; init; }

    /// <summary>For device nodes, the device they stand for.</summary>
    public required (uint Major, uint Minor) SpecialDevice { get; init; }

    /// <summary>A symbolic link's target, as stored; null for other kinds.</summary>
    public string? LinkTarget { get; init; }

    /// <summary>The extended attributes (name, raw value) in ordinal name order; empty when none or not read.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> ExtendedAttributes { get; init; } = [];

    /// <summary>The S_IFMT type bits of this kind, as cpio and stat write them.</summary>
    public int TypeBits => Kind switch
    {
        FileKind.RegularFile => 0x8000,
        FileKind.Directory => 0x4000,
        FileKind.SymbolicLink => 0xA000,
        FileKind.CharacterDevice => 0x2000,
        FileKind.BlockDevice => 0x6000,
        FileKind.Fifo => 0x1000,
        _ => 0xC000,
    };
}
