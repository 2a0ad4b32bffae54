using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli;

/// <summary>
/// Prints the engine's messages as xCAT's client does: info on stdout, <c>Warning: ...</c> on stderr. Progress
/// events are printed as plain lines when a step finishes, so CI logs stay readable; a build's stage outcomes always.
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
        if (progress.Outcome is not null)
        {
            lock (_gate)
            {
                _output.WriteLine(OutcomeLine(progress));
                _output.Flush();
            }

            return;
        }

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

    /// <summary>A stage's outcome as its line: <c>packimage IMAGE: runs — site.timezone changed</c>.</summary>
    public static string OutcomeLine(ProgressEvent progress)
    {
        var subject = string.IsNullOrEmpty(progress.Image) ? progress.Stage : $"{progress.Stage} {progress.Image}";
        return string.IsNullOrEmpty(progress.Reason) ? $"{subject}: {progress.Outcome}" : $"{subject}: {progress.Outcome} — {progress.Reason}";
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
