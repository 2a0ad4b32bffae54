namespace XcatImageBuild.Recipes;

/// <summary>A file <c>recipe apply</c> writes: its logical path in the site, its exact content and its mode.</summary>
/// <param name="LogicalPath">Where it goes, as an xCAT path (<c>/install/custom/...</c>).</param>
/// <param name="Purpose">The linuximage or osimage attribute that names it (<c>pkglist</c>, <c>template</c>, ...).</param>
/// <param name="Content">The text, byte-for-byte as written (UTF-8, LF line ends).</param>
/// <param name="Mode">The file mode: 0755 for the postinstall script, 0644 otherwise.</param>
public sealed record PlannedFile(string LogicalPath, string Purpose, string Content, UnixFileMode Mode)
{
    /// <summary>Read and write for everyone's reading: the mode of list files and templates.</summary>
    public const UnixFileMode Regular =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>The mode of a generated postinstall script, which genimage executes.</summary>
    public const UnixFileMode Executable = Regular | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
}
