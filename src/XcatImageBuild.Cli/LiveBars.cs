using Spectre.Console;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli;

/// <summary>
/// Live progress bars on a terminal, one per running step, drawn by Spectre.Console on a thread of their own while
/// the engine works on the caller's. Lines written meanwhile go above the bars.
/// </summary>
internal sealed class LiveBars : IDisposable
{
    private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);
    private readonly ManualResetEventSlim _ready = new();
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private ProgressContext? _context;

    public LiveBars()
    {
        _thread = new Thread(Draw) { IsBackground = true, Name = "progress bars" };
        _thread.Start();
        _ready.Wait();
    }

    /// <summary>Moves the bar of a step to what the event says, adding it when it is new.</summary>
    public void Update(string description, ProgressEvent progress)
    {
        if (_context is null)
        {
            return;
        }

        if (!_tasks.TryGetValue(description, out var task))
        {
            task = _context.AddTask(Markup.Escape(description), autoStart: true, maxValue: 1);
            _tasks[description] = task;
        }

        if (progress.Total > 0)
        {
            task.IsIndeterminate = false;
            task.MaxValue = progress.Total;
            task.Value = Math.Min(progress.Done, progress.Total);
        }
        else
        {
            task.IsIndeterminate = !progress.Finished;
        }

        if (progress.Finished)
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }

    /// <summary>A line of text above the bars.</summary>
    public static void WriteLine(string text) => AnsiConsole.Console.WriteLine(text);

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _ready.Dispose();
        _stop.Dispose();
    }

    private void Draw()
    {
        try
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(context =>
                {
                    _context = context;
                    _ready.Set();
                    _stop.Wait();
                });
        }
        finally
        {
            _ready.Set();
        }
    }
}
