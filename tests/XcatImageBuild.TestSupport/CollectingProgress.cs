using XcatImageBuild.Progress;

namespace XcatImageBuild.Testing;

/// <summary>Keeps every message and event it is given; for callers that print afterwards, and for tests.</summary>
public sealed class CollectingProgress : IProgressSink
{
    private readonly List<string> _infos = [];
    private readonly List<string> _warnings = [];
    private readonly List<ProgressEvent> _events = [];
    private readonly Lock _gate = new();

    public IReadOnlyList<string> Infos
    {
        get
        {
            lock (_gate)
            {
                return [.. _infos];
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_gate)
            {
                return [.. _warnings];
            }
        }
    }

    public IReadOnlyList<ProgressEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public void Report(ProgressEvent progress)
    {
        lock (_gate)
        {
            _events.Add(progress);
        }
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            _infos.Add(message);
        }
    }

    public void Warning(string message)
    {
        lock (_gate)
        {
            _warnings.Add(message);
        }
    }
}
