namespace XcatImageBuild.Recipes;

/// <summary>
/// One image resolved for the site: the osimage and linuximage columns a recipe owns (null clears a column the recipe
/// no longer sets) and the files to generate.
/// </summary>
public sealed class PlannedImage
{
    internal PlannedImage(
        ImageDefinition definition,
        IReadOnlyList<KeyValuePair<string, string?>> osImage,
        IReadOnlyList<KeyValuePair<string, string?>> linuxImage,
        IReadOnlyList<PlannedFile> files)
    {
        Definition = definition;
        OsImage = osImage;
        LinuxImage = linuxImage;
        Files = files;
    }

    public ImageDefinition Definition { get; }

    public string Name => Definition.Name;

    /// <summary>The osimage columns the recipe owns, in xCAT's column order.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> OsImage { get; }

    /// <summary>The linuximage columns the recipe owns, in xCAT's column order.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> LinuxImage { get; }

    /// <summary>The generated files, in the order the rows name them.</summary>
    public IReadOnlyList<PlannedFile> Files { get; }
}
