using System.Globalization;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli;

/// <summary>
/// Prints the engine's messages as xCAT's client does (info on stdout, <c>Warning: ...</c> on stderr), a build's stage
/// outcomes (stdout), and the progress of long steps. On a terminal the steps are live bars; otherwise (a pipe, a CI
/// log) progress lines go to stderr: a line when a step of a build or of genimage starts, a percentage at most every
/// <see cref="LineInterval"/> while any step runs, and a line when it ends if it took that long (every end with
/// <see cref="Verbose"/>). A quick xCAT verb thus prints exactly what xCAT's command prints.
/// </summary>
public sealed class ConsoleProgress : IProgressSink
{
    /// <summary>The least time between two lines about one running step.</summary>
    public static readonly TimeSpan LineInterval = TimeSpan.FromSeconds(10);

    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly TimeProvider _time;
    private readonly bool _live;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Stage, string? Image, string Step), RunningStep> _running = [];
    private LiveBars? _bars;

    /// <param name="output">Standard output: info lines, outcomes and progress lines.</param>
    /// <param name="error">Standard error: warnings.</param>
    /// <param name="live">Draw live bars (the output is a terminal) rather than print lines.</param>
    /// <param name="time">The clock the intervals are measured with; the system's when null.</param>
    public ConsoleProgress(TextWriter output, TextWriter error, bool live = false, TimeProvider? time = null)
    {
        _output = output;
        _error = error;
        _live = live;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Whether every finished step is printed (the CLI's <c>-v</c>).</summary>
    public bool Verbose { get; set; }

    public void Report(ProgressEvent progress)
    {
        lock (_gate)
        {
            if (progress.Outcome is not null)
            {
                Line(OutcomeLine(progress));
                return;
            }

            if (_live)
            {
                ReportLive(progress);
            }
            else
            {
                ReportLine(progress);
            }
        }
    }

    /// <summary>A stage's outcome as its line: <c>packimage IMAGE: runs — site.timezone changed</c>.</summary>
    public static string OutcomeLine(ProgressEvent progress)
    {
        var subject = Subject(progress);
        return string.IsNullOrEmpty(progress.Reason) ? $"{subject}: {progress.Outcome}" : $"{subject}: {progress.Outcome} — {progress.Reason}";
    }

    /// <summary>How much of a step is done, in its unit: <c>312.4 of 800.0 MiB</c>, <c>120 of 300</c>, <c>42</c>.</summary>
    public static string Amount(ProgressEvent progress)
    {
        if (progress.Unit == ProgressUnit.Bytes)
        {
            return progress.Total > 0
                ? FormattableString.Invariant($"{progress.Done / 1048576.0:F1} of {progress.Total / 1048576.0:F1} MiB")
                : FormattableString.Invariant($"{progress.Done / 1048576.0:F1} MiB");
        }

        return progress.Total > 0
            ? FormattableString.Invariant($"{progress.Done} of {progress.Total}")
            : progress.Done.ToString(CultureInfo.InvariantCulture);
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            Line(message);
        }
    }

    public void Warning(string message)
    {
        lock (_gate)
        {
            _error.WriteLine($"Warning: {message}");
            _error.Flush();
        }
    }

    /// <summary>Ends the live bars, if any are drawn, leaving their last state on the screen.</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _bars?.Dispose();
            _bars = null;
            _running.Clear();
        }
    }

    private void ReportLine(ProgressEvent progress)
    {
        var key = (progress.Stage, progress.Image, progress.Step);
        var now = _time.GetTimestamp();
        if (!_running.TryGetValue(key, out var step))
        {
            if (progress.Finished)
            {
                if (Verbose)
                {
                    ProgressLine($"{Subject(progress)}: {progress.Step} done ({Amount(progress)})");
                }

                return;
            }

            _running[key] = new RunningStep(now, now);
            if (AnnouncesSteps(progress))
            {
                ProgressLine($"{Subject(progress)}: {progress.Step}");
            }

            return;
        }

        var elapsed = _time.GetElapsedTime(step.Started, now);
        if (progress.Finished)
        {
            _running.Remove(key);
            if (Verbose || elapsed >= LineInterval)
            {
                var amount = progress.Done > 0 ? $" ({Amount(progress)})" : string.Empty;
                ProgressLine(FormattableString.Invariant($"{Subject(progress)}: {progress.Step} done{amount} in {elapsed.TotalSeconds:F1} s"));
            }

            return;
        }

        if (progress.Done > 0 && _time.GetElapsedTime(step.LastLine, now) >= LineInterval)
        {
            step.LastLine = now;
            var percent = progress.Total > 0 ? FormattableString.Invariant($" {100.0 * progress.Done / progress.Total:F0}%") : string.Empty;
            ProgressLine($"{Subject(progress)}: {progress.Step}{percent} ({Amount(progress)})");
        }
    }

    private void ReportLive(ProgressEvent progress)
    {
        var key = (progress.Stage, progress.Image, progress.Step);
        if (!_running.ContainsKey(key))
        {
            if (progress.Finished)
            {
                return;
            }

            _running[key] = new RunningStep(0, 0);
        }

        _bars ??= new LiveBars();
        _bars.Update($"{Subject(progress)}: {progress.Step}", progress);
        if (progress.Finished)
        {
            _running.Remove(key);
            if (_running.Count == 0)
            {
                // Nothing runs: the verb's own output comes next, below the bars rather than under them.
                _bars.Dispose();
                _bars = null;
            }
        }
    }

    private void Line(string text)
    {
        if (_bars is not null)
        {
            LiveBars.WriteLine(text);
            return;
        }

        _output.WriteLine(text);
        _output.Flush();
    }

    // A build's steps, and genimage's, are announced when they start; a verb's own steps (packimage's archive,
    // imgexport's compress) only once they run long, so a quick run prints exactly what xCAT's command prints.
    private static bool AnnouncesSteps(ProgressEvent progress) => !string.IsNullOrEmpty(progress.Image) || progress.Stage == "genimage";

    private void ProgressLine(string text)
    {
        _error.WriteLine(text);
        _error.Flush();
    }

    private static string Subject(ProgressEvent progress) =>
        string.IsNullOrEmpty(progress.Image) ? progress.Stage : $"{progress.Stage} {progress.Image}";

    private sealed class RunningStep(long started, long lastLine)
    {
        public long Started { get; } = started;

        public long LastLine { get; set; } = lastLine;
    }
}
