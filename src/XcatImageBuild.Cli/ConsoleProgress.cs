using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli;

/// <summary>
/// Prints the engine's messages as xCAT's client does: info on stdout, <c>Warning: ...</c> on stderr. Progress
/// events are printed as plain lines when a step finishes, so CI logs stay readable.
/// </summary>
public sealed class ConsoleProgress : IProgressSink
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Lock _gate = new();

    public ConsoleProgress(TextWriter output, TextWriter error)
    {
        _output = output;
        _error = error;
    }

    /// <summary>Whether finished steps are printed (the CLI's <c>-v</c>).</summary>
    public bool Verbose { get; set; }

    public void Report(ProgressEvent progress)
    {
        if (!Verbose || progress.Total <= 0 || progress.Done < progress.Total)
        {
            return;
        }

        lock (_gate)
        {
            var amount = progress.Unit == ProgressUnit.Bytes ? $"{progress.Done / 1048576.0:F1} MiB" : $"{progress.Done} items";
            _output.WriteLine(FormattableString.Invariant($"{progress.Stage}: {progress.Step} done ({amount})"));
        }
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            _output.WriteLine(message);
        }
    }

    public void Warning(string message)
    {
        lock (_gate)
        {
            _error.WriteLine($"Warning: {message}");
        }
    }
}
