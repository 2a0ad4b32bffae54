namespace XcatImageBuild.Recipes;

/// <summary>What applying a recipe did: each generated file and each image's rows, with what happened to it.</summary>
/// <param name="Files">Every generated file by logical path, in the plan's order.</param>
/// <param name="Images">Every image by name; its change covers both its osimage and linuximage rows.</param>
public sealed record RecipeApplyResult(
    IReadOnlyList<(string LogicalPath, FileChange Change)> Files,
    IReadOnlyList<(string Name, FileChange Change)> Images)
{
    /// <summary>Whether anything was written.</summary>
    public bool Changed => Files.Any(f => f.Change != FileChange.Unchanged) || Images.Any(i => i.Change != FileChange.Unchanged);
}
