namespace XcatImageBuild.Formats.Cpio;

/// <summary>One member of a newc cpio archive as <see cref="CpioReader"/> read it.</summary>
public sealed class CpioEntry
{
    internal CpioEntry(CpioHeader header, FileKind kind, (uint Major, uint Minor) device, string? linkTarget, Stream? dataStream)
    {
        Header = header;
        Kind = kind;
        Device = device;
        LinkTarget = linkTarget;
        DataStream = dataStream;
    }

    /// <summary>The header fields as stored (the data length, the inode, the device nodes' numbers).</summary>
    public CpioHeader Header { get; }

    /// <summary>The member name, as stored (GNU cpio writes <c>./path</c> or <c>path</c>).</summary>
    public string Name => Header.Name;

    /// <summary>The file type, from the mode's S_IFMT bits.</summary>
    public FileKind Kind { get; }

    /// <summary>The permission bits with setuid, setgid and sticky (the low 12 bits of the mode).</summary>
    public int Permissions => Header.Mode & 0xFFF;

    /// <summary>The device the file lived on when it was archived (major, minor).</summary>
    public (uint Major, uint Minor) Device { get; }

    /// <summary>For device nodes, the device they stand for (rdev).</summary>
    public (uint Major, uint Minor) SpecialDevice => (Header.DeviceMajor, Header.DeviceMinor);

    /// <summary>A symbolic link's target (its data in newc); null for other kinds.</summary>
    public string? LinkTarget { get; }

    /// <summary>
    /// A regular file's data, exactly <see cref="CpioHeader.DataLength"/> bytes; null when there is none (other kinds,
    /// empty files, and the hard links of a file whose data comes with another member). Valid until the next
    /// <see cref="CpioReader.GetNextEntry"/>, which skips what was not read.
    /// </summary>
    public Stream? DataStream { get; }
}
