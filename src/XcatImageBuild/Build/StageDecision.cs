namespace XcatImageBuild.Build;

/// <summary>Whether a stage runs on an image, and why (the inputs or outputs that changed, by name) or why not.</summary>
/// <param name="Stage">The stage's verb.</param>
/// <param name="Image">The osimage.</param>
/// <param name="Runs">Whether it runs.</param>
/// <param name="Reasons">Why it runs, or the one reason it does not.</param>
public sealed record StageDecision(string Stage, string Image, bool Runs, IReadOnlyList<string> Reasons)
{
    /// <summary>The reasons as one clause: <c>synclist source /install/files/chrony.conf changed, site.timezone changed</c>.</summary>
    public string Reason => string.Join(", ", Reasons);
}
