namespace XcatImageBuild.Definitions;

/// <summary>How chdef applies a value to an attribute that holds a comma list.</summary>
public enum ChangeMode
{
    /// <summary>The value replaces the attribute (the default).</summary>
    Replace,

    /// <summary><c>-p</c>: the value's items are appended when not already present.</summary>
    Plus,

    /// <summary><c>-m</c>: the value's items are removed.</summary>
    Minus,
}
