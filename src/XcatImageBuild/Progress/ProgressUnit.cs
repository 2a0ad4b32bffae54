namespace XcatImageBuild.Progress;

/// <summary>What the numbers of a <see cref="ProgressEvent"/> count.</summary>
public enum ProgressUnit
{
    Items,
    Bytes,
}
