namespace XcatImageBuild.Formats.Tar;

/// <summary>The fields of one tar member.</summary>
/// <param name="Name">The member name (directories end in <c>/</c>).</param>
/// <param name="Kind">The file type; ignored when <paramref name="HardLinkTo"/> is set.</param>
/// <param name="Mode">Permission bits with setuid, setgid and sticky.</param>
/// <param name="Uid">Owner, stored by number only (no user name), so ids survive extraction on any host.</param>
/// <param name="Gid">Group, by number only.</param>
/// <param name="ModificationTime">Seconds since the epoch.</param>
/// <param name="DataLength">Bytes of data that follow (regular files only).</param>
/// <param name="LinkName">A symbolic link's target.</param>
/// <param name="HardLinkTo">The name of an earlier member this one is a hard link of; it then carries no data.</param>
/// <param name="DeviceMajor">For device nodes, the major number.</param>
/// <param name="DeviceMinor">For device nodes, the minor number.</param>
/// <param name="ExtendedAttributes">Extended attributes, stored as pax <c>SCHILY.xattr.*</c> records (GNU tar's form).</param>
/// <param name="UserName">The owner's name (at most 32 bytes), for archives made to be read on other hosts; null for none.</param>
/// <param name="GroupName">The group's name (at most 32 bytes); null for none.</param>
public readonly record struct TarHeader(
    string Name,
    FileKind Kind,
    int Mode,
    uint Uid,
    uint Gid,
    long ModificationTime,
    long DataLength,
    string? LinkName = null,
    string? HardLinkTo = null,
    uint DeviceMajor = 0,
    uint DeviceMinor = 0,
    IReadOnlyList<KeyValuePair<string, byte[]>>? ExtendedAttributes = null,
    string? UserName = null,
    string? GroupName = null);
