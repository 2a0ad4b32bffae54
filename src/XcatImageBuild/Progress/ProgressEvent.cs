namespace XcatImageBuild.Progress;

/// <summary>How far one step of a stage got: items or bytes done of a total (0 when unknown).</summary>
public readonly record struct ProgressEvent(string Stage, string Step, long Done, long Total, ProgressUnit Unit);
