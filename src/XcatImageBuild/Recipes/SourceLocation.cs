namespace XcatImageBuild.Recipes;

/// <summary>A place in a recipe: the script file (absolute path) and the 1-based line of the call.</summary>
public sealed record SourceLocation(string File, int Line)
{
    /// <summary>The location as <c>file:line</c>, the file shown relative to <paramref name="baseDirectory"/> when under it.</summary>
    public string Describe(string baseDirectory) => $"{ShowFile(File, baseDirectory)}:{Line}";

    /// <summary>A file as messages show it: relative to <paramref name="baseDirectory"/> when under it, else absolute.</summary>
    public static string ShowFile(string file, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        var relative = Path.GetRelativePath(baseDirectory, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative;
    }
}
