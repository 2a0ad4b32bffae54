namespace XcatImageBuild.Formats;

/// <summary>The type of a file system object, as the S_IFMT bits of its mode say.</summary>
public enum FileKind
{
    RegularFile,
    Directory,
    SymbolicLink,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
}
