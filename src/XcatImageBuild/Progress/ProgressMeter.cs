using System.Diagnostics;

namespace XcatImageBuild.Progress;

/// <summary>
/// Counts the progress of one long step and reports it to a sink at a bounded rate: when another percent is done or
/// a second has passed, never for every file, so a JSON log of a step over a million files stays a few hundred lines.
/// </summary>
public sealed class ProgressMeter
{
    private static readonly long ReportInterval = Stopwatch.Frequency;

    private readonly IProgressSink _sink;
    private ProgressEvent _step;
    private long _done;
    private long _reportedDone = -1;
    private long _reportedAt;

    /// <summary>Starts the step: reports it with nothing done.</summary>
    /// <param name="sink">Where the step's progress goes.</param>
    /// <param name="stage">The stage the step belongs to (<c>packimage</c>).</param>
    /// <param name="step">The step (<c>archive</c>).</param>
    /// <param name="total">What the step will count to; 0 when unknown.</param>
    /// <param name="unit">What it counts.</param>
    public ProgressMeter(IProgressSink sink, string stage, string step, long total, ProgressUnit unit)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _step = new ProgressEvent(stage, step, 0, Math.Max(0, total), unit);
        Report();
    }

    /// <summary>What is done so far.</summary>
    public long Done => _done;

    /// <summary>Adds <paramref name="amount"/> to what is done, reporting when another percent or a second passed.</summary>
    public void Advance(long amount)
    {
        _done += amount;
        var total = _step.Total;
        var now = Stopwatch.GetTimestamp();
        var percentStep = total > 0 ? Math.Max(1, total / 100) : long.MaxValue;
        if (_done - _reportedDone >= percentStep || now - _reportedAt >= ReportInterval)
        {
            Report();
        }
    }

    /// <summary>Sets the total once it is known (a tool that says how much it will do after it started).</summary>
    public void SetTotal(long total)
    {
        _step = _step with { Total = Math.Max(0, total) };
        Report();
    }

    /// <summary>Sets what is done (for tools that print a count rather than an increment).</summary>
    public void Set(long done) => Advance(done - _done);

    /// <summary>Ends the step: reports it done, at its total when one was known.</summary>
    public void Complete()
    {
        if (_step.Total > 0)
        {
            _done = Math.Max(_done, _step.Total);
        }

        _sink.Report(_step with { Done = _done, Finished = true });
    }

    private void Report()
    {
        _reportedDone = _done;
        _reportedAt = Stopwatch.GetTimestamp();
        _sink.Report(_step with { Done = Math.Min(_done, _step.Total > 0 ? _step.Total : _done) });
    }
}
