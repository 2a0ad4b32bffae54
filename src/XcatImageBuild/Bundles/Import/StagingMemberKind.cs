namespace XcatImageBuild.Bundles.Import;

/// <summary>The kinds of bundle member import accepts; anything else (devices, fifos) is refused while reading.</summary>
public enum StagingMemberKind
{
    /// <summary>A regular file (a hard link is unpacked as a copy of its target).</summary>
    File,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A symbolic link that stays inside its image directory.</summary>
    SymbolicLink,
}
