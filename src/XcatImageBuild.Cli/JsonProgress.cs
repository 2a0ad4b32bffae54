using System.Text.Json;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli;

/// <summary>
/// <c>--json</c>: every progress event and stage outcome as one JSON object per line on stdout (stage, image, step,
/// done, total, unit, finished, outcome, reason), and nothing else there; messages and warnings go to stderr. A step's
/// last event has <c>finished</c> true.
/// </summary>
public sealed class JsonProgress : IProgressSink
{
    private readonly TextWriter _output;
    private readonly TextWriter _error;
    private readonly Lock _gate = new();

    public JsonProgress(TextWriter output, TextWriter error)
    {
        _output = output;
        _error = error;
    }

    /// <summary>One event as its JSON line.</summary>
    public static string Line(ProgressEvent progress)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("stage", progress.Stage);
            json.WriteString("image", progress.Image);
            json.WriteString("step", progress.Step);
            json.WriteNumber("done", progress.Done);
            json.WriteNumber("total", progress.Total);
            json.WriteString("unit", progress.Unit == ProgressUnit.Bytes ? "bytes" : "items");
            json.WriteBoolean("finished", progress.Finished);
            json.WriteString("outcome", progress.Outcome);
            json.WriteString("reason", progress.Reason);
            if (progress.Path is not null)
            {
                json.WriteString("path", progress.Path);
                json.WriteString("likely", progress.Likely);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public void Report(ProgressEvent progress)
    {
        lock (_gate)
        {
            _output.WriteLine(Line(progress));
            _output.Flush();
        }
    }

    public void Info(string message)
    {
        lock (_gate)
        {
            _error.WriteLine(message);
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
