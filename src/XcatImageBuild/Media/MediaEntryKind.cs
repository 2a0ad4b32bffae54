namespace XcatImageBuild.Media;

/// <summary>What a <see cref="MediaEntry"/> is. Media hold nothing else worth copying (no devices, no fifos).</summary>
public enum MediaEntryKind
{
    File,
    Directory,
    SymbolicLink,
}
