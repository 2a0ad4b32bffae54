using XcatImageBuild.Processes;

namespace XcatImageBuild.Testing;

/// <summary>
/// A process runner that starts nothing: every command line is recorded, each tool answers what the test scripted
/// ("dnf exits 1 with this stderr") or succeeds silently, and <c>mount</c>/<c>umount</c> keep a pretend mount table, so
/// a test can check that everything mounted was unmounted. Failures are reported exactly as
/// <see cref="ProcessRunner"/> reports them.
/// </summary>
public sealed class FakeProcessRunner : IProcessRunner
{
    private readonly Dictionary<string, ToolAnswer> _answers = new(StringComparer.Ordinal);
    private readonly HashSet<string> _missing = new(StringComparer.Ordinal);
    private readonly List<ToolCommand> _commands = [];
    private readonly List<string> _mounted = [];
    private readonly Lock _gate = new();

    /// <summary>Every command run, in order.</summary>
    public IReadOnlyList<ToolCommand> Commands
    {
        get
        {
            lock (_gate)
            {
                return [.. _commands];
            }
        }
    }

    /// <summary>Every command line run, as the logs show them.</summary>
    public IReadOnlyList<string> CommandLines => [.. Commands.Select(c => c.ToString())];

    /// <summary>What is mounted now: targets of <c>mount</c> not yet undone by <c>umount</c>.</summary>
    public IReadOnlyList<string> MountPoints
    {
        get
        {
            lock (_gate)
            {
                return [.. _mounted];
            }
        }
    }

    /// <summary>
    /// From now on <paramref name="tool"/> (run directly, or inside a root through <c>chroot</c>) exits with
    /// <paramref name="exitCode"/> after printing the given text.
    /// </summary>
    public FakeProcessRunner Given(string tool, int exitCode, string standardError = "", string standardOutput = "")
    {
        lock (_gate)
        {
            _answers[tool] = new ToolAnswer(exitCode, standardOutput, standardError);
        }

        return this;
    }

    /// <summary>From now on <paramref name="tool"/> is not installed.</summary>
    public FakeProcessRunner WithoutTool(string tool)
    {
        lock (_gate)
        {
            _missing.Add(tool);
        }

        return this;
    }

    /// <summary>The commands that ran <paramref name="tool"/>, directly or through <c>chroot</c>.</summary>
    public IReadOnlyList<ToolCommand> CommandsOf(string tool) => [.. Commands.Where(c => ToolOf(c) == tool || c.Tool == tool)];

    public string? FindExecutable(string tool)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        lock (_gate)
        {
            if (_missing.Contains(tool))
            {
                return null;
            }
        }

        return tool.Contains('/', StringComparison.Ordinal) ? tool : "/usr/bin/" + tool;
    }

    public ToolResult Run(ToolCommand command, CancellationToken cancellationToken = default)
    {
        var result = RunUnchecked(command, cancellationToken);
        return result.ExitCode == 0 ? result : throw ProcessRunner.Failure(result);
    }

    public ToolResult RunUnchecked(ToolCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        _ = FindExecutable(command.Tool) ?? throw ProcessRunner.Missing(command.Tool);
        lock (_gate)
        {
            _commands.Add(command);
            var answer = _answers.GetValueOrDefault(ToolOf(command)) ?? _answers.GetValueOrDefault(command.Tool) ?? new ToolAnswer(0, string.Empty, string.Empty);
            if (answer.ExitCode == 0)
            {
                TrackMounts(command);
            }

            if (command.OutputLine is { } onLine)
            {
                foreach (var line in answer.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    onLine(line);
                }
            }

            return new ToolResult(command, answer.ExitCode, answer.StandardOutput, answer.StandardError);
        }
    }

    public void RunStreaming(ToolCommand command, Stream? input, Stream? output, CancellationToken cancellationToken = default)
    {
        input?.CopyTo(Stream.Null);
        var result = RunUnchecked(command, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw ProcessRunner.Failure(result);
        }

        if (output is not null)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(result.StandardOutput);
            output.Write(bytes);
        }
    }

    private static string ToolOf(ToolCommand command) =>
        command.Tool == "chroot" && command.Arguments.Count > 1 ? command.Arguments[1] : command.Tool;

    // mount's target and umount's mount point are their last argument.
    private void TrackMounts(ToolCommand command)
    {
        if (command.Arguments.Count == 0)
        {
            return;
        }

        var point = command.Arguments[^1];
        if (command.Tool == "mount")
        {
            _mounted.Add(point);
        }
        else if (command.Tool == "umount")
        {
            _mounted.Remove(point);
        }
    }

    private sealed record ToolAnswer(int ExitCode, string StandardOutput, string StandardError);
}
