namespace XcatImageBuild.Recipes;

/// <summary>What applying a recipe does (or did) to one file or row.</summary>
public enum FileChange
{
    /// <summary>It does not exist yet.</summary>
    New,

    /// <summary>It exists with other content (or, for a file, another mode).</summary>
    Changed,

    /// <summary>It already is exactly what the recipe asks for; it is left alone, mtime included.</summary>
    Unchanged,
}
