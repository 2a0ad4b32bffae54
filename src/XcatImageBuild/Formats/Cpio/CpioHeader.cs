namespace XcatImageBuild.Formats.Cpio;

/// <summary>The fields of one newc member header (the device of the file itself is written as 0:0).</summary>
/// <param name="Name">The member name.</param>
/// <param name="Inode">The inode number; members with the same number are hard links of one file.</param>
/// <param name="Mode">File type and permission bits, as st_mode.</param>
/// <param name="Uid">Owner.</param>
/// <param name="Gid">Group.</param>
/// <param name="Links">How many members link to this inode.</param>
/// <param name="ModificationTime">Seconds since the epoch.</param>
/// <param name="DataLength">Bytes of data that follow the header.</param>
/// <param name="DeviceMajor">For device nodes, the major number of the device they stand for.</param>
/// <param name="DeviceMinor">For device nodes, the minor number.</param>
public readonly record struct CpioHeader(
    string Name, long Inode, int Mode, uint Uid, uint Gid, int Links, long ModificationTime, long DataLength, uint DeviceMajor = 0, uint DeviceMinor = 0);
