using System.Diagnostics;
using System.Text;

namespace XcatImageBuild.Processes;

/// <summary>
/// The one place that starts external tools (mmdebstrap, dnf, zypper, xz, zstd, mksquashfs, cpio, qemu...). It finds
/// the executable, logs the command line, and turns a failure into one <see cref="XcatException"/> that names the
/// tool, its exit code and the last lines it printed.
/// </summary>
public sealed class ProcessRunner : IProcessRunner
{
    /// <summary>Where executables are looked for when no search path is given: the standard system directories.</summary>
    public const string SystemSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private const int TailLines = 20;

    private readonly string _searchPath;
    private readonly Action<string>? _log;

    /// <param name="searchPath">
    /// The directories to find executables in, colon-separated like PATH (the command line passes its PATH);
    /// <see cref="SystemSearchPath"/> when null or empty.
    /// </param>
    /// <param name="log">Receives each command line before it runs, and nothing else.</param>
    public ProcessRunner(string? searchPath = null, Action<string>? log = null)
    {
        _searchPath = string.IsNullOrEmpty(searchPath) ? SystemSearchPath : searchPath;
        _log = log;
    }

    /// <inheritdoc/>
    public string? FindExecutable(string tool)
    {
        ArgumentException.ThrowIfNullOrEmpty(tool);
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(tool) ? Path.GetFullPath(tool) : null;
        }

        foreach (var directory in _searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, tool);
            if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The error for a tool that is not installed, naming the Debian package that brings it.</summary>
    public static XcatException Missing(string tool, string? package = null) => new(
        $"Command {tool} does not exist, please make sure it is installed.",
        1,
        package is null ? null : $"Install the Debian package '{package}'.");

    /// <inheritdoc/>
    public ToolResult Run(ToolCommand command, CancellationToken cancellationToken = default)
    {
        var result = RunUnchecked(command, cancellationToken);
        return result.ExitCode == 0 ? result : throw Failure(result);
    }

    /// <inheritdoc/>
    public ToolResult RunUnchecked(ToolCommand command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var process = StartProcess(command, redirectInput: false);
        var listener = command.OutputLine is { } onLine ? new LineListener(onLine) : null;
        var output = listener is null ? process.StandardOutput.ReadToEndAsync(cancellationToken) : listener.ReadAsync(process.StandardOutput, cancellationToken);
        var error = listener is null ? process.StandardError.ReadToEndAsync(cancellationToken) : listener.ReadAsync(process.StandardError, cancellationToken);
        WaitForExit(process, cancellationToken);
        return new ToolResult(command, process.ExitCode, output.GetAwaiter().GetResult(), error.GetAwaiter().GetResult());
    }

    /// <inheritdoc/>
    public void RunStreaming(ToolCommand command, Stream? input, Stream? output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        using var process = StartProcess(command, redirectInput: input is not null);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        var copyOut = output is null
            ? process.StandardOutput.ReadToEndAsync(cancellationToken)
            : process.StandardOutput.BaseStream.CopyToAsync(output, cancellationToken).ContinueWith(_ => string.Empty, TaskScheduler.Default);
        Exception? inputFailure = null;
        if (input is not null)
        {
            try
            {
                input.CopyTo(process.StandardInput.BaseStream);
            }
            catch (IOException e)
            {
                // The tool closed its input early; its exit code tells why.
                inputFailure = e;
            }
            finally
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                }
            }
        }

        WaitForExit(process, cancellationToken);
        copyOut.GetAwaiter().GetResult();
        var result = new ToolResult(command, process.ExitCode, string.Empty, error.GetAwaiter().GetResult());
        if (result.ExitCode != 0)
        {
            throw Failure(result);
        }

        if (inputFailure is not null)
        {
            throw new XcatException($"{command.Tool} stopped reading its input: {inputFailure.Message}", 1, null, inputFailure);
        }
    }

    /// <summary>The error for a failed run: the tool, its exit code and the last lines it printed.</summary>
    public static XcatException Failure(ToolResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var printed = (result.StandardError + "\n" + result.StandardOutput)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var tail = printed.Skip(Math.Max(0, printed.Length - TailLines));
        var message = new StringBuilder()
            .Append(CultureInfoInvariant($"{result.Command.Tool} failed with exit code {result.ExitCode}: {result.Command}"));
        foreach (var line in tail)
        {
            message.Append('\n').Append("  ").Append(line);
        }

        return new XcatException(message.ToString());
    }

    private Process StartProcess(ToolCommand command, bool redirectInput)
    {
        var executable = FindExecutable(command.Tool) ?? throw Missing(command.Tool);
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = command.WorkingDirectory ?? string.Empty,
        };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        _log?.Invoke(command.ToString());
        try
        {
            return Process.Start(start) ?? throw new XcatException($"Cannot start {command.Tool}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new XcatException($"Cannot start {command.Tool}: {e.Message}", 1, null, e);
        }
    }

    private static void WaitForExit(Process process, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }
        }))
        {
            process.WaitForExit();
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    // Reads a stream line by line, handing each line on as it arrives (one at a time for both streams) and keeping it.
    private sealed class LineListener(Action<string> onLine)
    {
        private readonly Lock _gate = new();

        public async Task<string> ReadAsync(StreamReader reader, CancellationToken cancellationToken)
        {
            var text = new StringBuilder();
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                text.Append(line).Append('\n');
                lock (_gate)
                {
                    onLine(line);
                }
            }

            return text.ToString();
        }
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);
}
