namespace XcatImageBuild.Diff;

/// <summary>One thing whose bytes differ between two builds of the same image, and what most likely made it differ.</summary>
/// <param name="Path">A root image file (<c>/etc/shadow</c>), a bundle member (<c>bundle IMAGE/kernel</c>) or the bundle itself.</param>
/// <param name="Changes">What differs, as imgdiff says it (<c>content sha256 ... -> ...</c>, <c>mtime ... -> ...</c>).</param>
/// <param name="Likely">The likely cause: one of the <see cref="DifferenceCause"/> names.</param>
public sealed record Irreproducibility(string Path, IReadOnlyList<string> Changes, string Likely)
{
    /// <summary>The difference as one line: <c>/etc/shadow: content sha256 ab12 -> cd34 (likely random data or unknown)</c>.</summary>
    public override string ToString() => $"{Path}: {string.Join("; ", Changes)} (likely {Likely})";
}
