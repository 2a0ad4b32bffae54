namespace XcatImageBuild.Recipes;

/// <summary>
/// One contribution to a generated list file, in the order the recipe made it: lines written in the recipe, or a list
/// file next to the recipe whose content is expanded in place.
/// </summary>
/// <param name="Lines">The lines written in the recipe (empty for a file).</param>
/// <param name="File">The absolute path of a list file to expand, or null.</param>
/// <param name="At">Where the recipe made the call.</param>
public sealed record RecipeListItem(IReadOnlyList<string> Lines, string? File, SourceLocation At)
{
    public static RecipeListItem Inline(SourceLocation at, params IEnumerable<string> lines) => new([.. lines], null, at);

    public static RecipeListItem FromFile(SourceLocation at, string file) => new([], file, at);
}
