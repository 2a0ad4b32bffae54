namespace XcatImageBuild.Progress;

/// <summary>
/// How far one step of a stage got: items or bytes done of a total (0 when unknown). A build also reports each stage's
/// outcome on an image as an event with <see cref="Outcome"/> and <see cref="Reason"/> set.
/// </summary>
public readonly record struct ProgressEvent(string Stage, string Step, long Done, long Total, ProgressUnit Unit)
{
    /// <summary>The osimage the stage works on, when a build reports it.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// For a build's stage lines: <c>runs</c>, <c>skips</c>, <c>blocked</c> (plan); <c>ran</c>, <c>skipped</c>,
    /// <c>failed</c>, <c>stopped</c> (build). Null for progress of a step.
    /// </summary>
    public string? Outcome { get; init; }

    /// <summary>Why the stage runs or not (the inputs that changed, by name), with <see cref="Outcome"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>For a reproducibility check's differences: the file or bundle member whose bytes differ.</summary>
    public string? Path { get; init; }

    /// <summary>For a reproducibility check's differences: its likely cause (timestamps, build path, random data or unknown...).</summary>
    public string? Likely { get; init; }

    /// <summary>The step ended (the last event of a step; a count can reach its total before the step ends).</summary>
    public bool Finished { get; init; }

    /// <summary>A stage's outcome on an image.</summary>
    public static ProgressEvent StageOutcome(string stage, string image, string outcome, string reason) =>
        new(stage, string.Empty, 0, 0, ProgressUnit.Items) { Image = image, Outcome = outcome, Reason = reason };
}
