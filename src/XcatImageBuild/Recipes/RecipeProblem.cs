namespace XcatImageBuild.Recipes;

/// <summary>One thing wrong with a recipe, and where the recipe said it (null when no single line is to blame).</summary>
public sealed record RecipeProblem(SourceLocation? At, string Message)
{
    /// <summary>The problem as <c>file:line: message</c>, the file relative to <paramref name="baseDirectory"/>.</summary>
    public string Describe(string baseDirectory) => At is null ? Message : $"{At.Describe(baseDirectory)}: {Message}";
}
