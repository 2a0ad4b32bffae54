using System.Runtime.CompilerServices;

namespace XcatImageBuild.Recipes;

/// <summary>
/// What a recipe script sees besides plain C#: <c>Image("name")</c> to start describing an osimage, and the directory
/// of the recipe. One script may describe several images; <c>#load</c>ed scripts share the same globals.
/// </summary>
public sealed class RecipeGlobals
{
    private readonly List<ImageDefinition> _images = [];

    /// <summary>Creates the globals for one evaluation of the recipe at <paramref name="recipeFile"/>.</summary>
    public RecipeGlobals(string recipeFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipeFile);
        RecipeFile = Path.GetFullPath(recipeFile);
    }

    /// <summary>The recipe being evaluated (absolute path).</summary>
    public string RecipeFile { get; }

    /// <summary>The directory of the recipe being evaluated.</summary>
    public string RecipeDirectory => Path.GetDirectoryName(RecipeFile)!;

    /// <summary>The images described so far, in the order <c>Image</c> was called.</summary>
    public IReadOnlyList<ImageDefinition> Images => _images;

    /// <summary>
    /// Starts describing the osimage <paramref name="name"/>; xCAT's names read
    /// <c>&lt;osvers&gt;-&lt;arch&gt;-&lt;netboot|statelite|install&gt;-&lt;profile&gt;</c>.
    /// </summary>
    public ImageBuilder Image(string name, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0)
    {
        var image = new ImageDefinition(name ?? string.Empty, new SourceLocation(script.Length > 0 ? script : RecipeFile, line));
        _images.Add(image);
        return new ImageBuilder(image);
    }
}
