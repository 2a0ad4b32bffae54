namespace XcatImageBuild.Progress;

/// <summary>
/// Where long work reports how far it got. The CLI draws a bar on a terminal, prints plain lines in CI or emits JSON
/// events; the engine only reports.
/// </summary>
public interface IProgressSink
{
    /// <summary>A step started, advanced or finished.</summary>
    void Report(ProgressEvent progress);

    /// <summary>A line for the user (xCAT's <c>info</c> and <c>data</c> responses), printed on stdout.</summary>
    void Info(string message);

    /// <summary>A warning for the user, printed on stderr as <c>Warning: ...</c>.</summary>
    void Warning(string message);
}
