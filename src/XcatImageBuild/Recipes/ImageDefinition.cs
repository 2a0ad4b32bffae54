namespace XcatImageBuild.Recipes;

/// <summary>
/// One osimage as a recipe declared it, before any file is generated: the values for the osimage and linuximage
/// rows and the pieces of every list file, each with the recipe line that gave it. Relative list and template files
/// are already resolved against the directory of the script that named them.
/// </summary>
public sealed class ImageDefinition
{
    internal ImageDefinition(string name, SourceLocation at)
    {
        Name = name;
        At = at;
    }

    /// <summary>The image name, the key of both rows.</summary>
    public string Name { get; }

    /// <summary>Where the recipe called <c>Image(...)</c>.</summary>
    public SourceLocation At { get; }

    public string? ProvMethod { get; internal set; }

    public string? OsVers { get; internal set; }

    public string? OsArch { get; internal set; }

    public string? Profile { get; internal set; }

    public string? Description { get; internal set; }

    /// <summary>osimage.groups.</summary>
    public IReadOnlyList<string> Groups => GroupList;

    /// <summary>linuximage.pkgdir items: local repositories, or <c>url suite components</c> for Debian and Ubuntu.</summary>
    public IReadOnlyList<string> Repositories => RepositoryList;

    /// <summary>The pieces of the generated pkglist.</summary>
    public IReadOnlyList<RecipeListItem> Packages => PackageList;

    /// <summary>linuximage.otherpkgdir items.</summary>
    public IReadOnlyList<string> OtherRepositories => OtherRepositoryList;

    /// <summary>The pieces of the generated otherpkgs.pkglist.</summary>
    public IReadOnlyList<RecipeListItem> OtherPackages => OtherPackageList;

    /// <summary>The pieces of the generated exlist (excludes as written, keeps with <c>+</c>).</summary>
    public IReadOnlyList<RecipeListItem> Excludes => ExcludeList;

    public IReadOnlyList<PostinstallStep> Postinstall => PostinstallList;

    /// <summary>The pieces of the generated synclist.</summary>
    public IReadOnlyList<RecipeListItem> Sync => SyncList;

    /// <summary>Files imgexport should carry with <c>-e</c>; they are not a table column.</summary>
    public IReadOnlyList<ExtraFile> Extras => ExtraList;

    public IReadOnlyList<string> Postscripts => PostscriptList;

    public IReadOnlyList<string> Postbootscripts => PostbootscriptList;

    /// <summary>osimage.environvar items, <c>NAME=value</c>.</summary>
    public IReadOnlyList<string> EnvironmentVariables => EnvironmentList;

    public IReadOnlyList<string> NetDrivers => NetDriverList;

    public string? KernelVersion { get; internal set; }

    /// <summary>linuximage.addkcmdline.</summary>
    public string? KernelArguments { get; internal set; }

    public string? Permission { get; internal set; }

    /// <summary>linuximage.rootimgdir as the recipe set it (logical), or null for xCAT's default.</summary>
    public string? RootImageDirectory { get; internal set; }

    /// <summary>A Handlebars template next to the recipe for an install image, or null for the shipped one.</summary>
    public string? TemplateFile { get; internal set; }

    /// <summary>Where the recipe named its template.</summary>
    public SourceLocation? TemplateAt { get; internal set; }

    /// <summary>Extra values the template can use as <c>{{values.key}}</c>.</summary>
    public IReadOnlyDictionary<string, string> TemplateValues => TemplateValueMap;

    /// <summary>Mistakes found while the recipe ran (empty names, a relative path where a site path is needed).</summary>
    public IReadOnlyList<RecipeProblem> Mistakes => MistakeList;

    internal List<string> GroupList { get; } = [];

    internal List<string> RepositoryList { get; } = [];

    internal List<RecipeListItem> PackageList { get; } = [];

    internal List<string> OtherRepositoryList { get; } = [];

    internal List<RecipeListItem> OtherPackageList { get; } = [];

    internal List<RecipeListItem> ExcludeList { get; } = [];

    internal List<PostinstallStep> PostinstallList { get; } = [];

    internal List<RecipeListItem> SyncList { get; } = [];

    internal List<ExtraFile> ExtraList { get; } = [];

    internal List<string> PostscriptList { get; } = [];

    internal List<string> PostbootscriptList { get; } = [];

    internal List<string> EnvironmentList { get; } = [];

    internal List<string> NetDriverList { get; } = [];

    internal SortedDictionary<string, string> TemplateValueMap { get; } = new(StringComparer.Ordinal);

    internal List<RecipeProblem> MistakeList { get; } = [];
}
