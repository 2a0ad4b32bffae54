namespace XcatImageBuild.Processes;

/// <summary>
/// How the engine starts external tools (mmdebstrap, dnf, zypper, mount, xz, zstd, mksquashfs...). The engine only
/// holds this interface; the command line gives it a <see cref="ProcessRunner"/>, tests a runner that plays back
/// scripted results.
/// </summary>
public interface IProcessRunner
{
    /// <summary>The full path of an executable found on the search path (or the path itself when it has a slash), or null.</summary>
    string? FindExecutable(string tool);

    /// <summary>Runs the tool to completion, capturing what it prints; a non-zero exit throws.</summary>
    /// <exception cref="XcatException">
    /// The tool is missing or exited non-zero; the message names the tool, its exit code and the last lines it printed.
    /// </exception>
    ToolResult Run(ToolCommand command, CancellationToken cancellationToken = default);

    /// <summary>Runs the tool to completion and returns its result whatever the exit code.</summary>
    /// <exception cref="XcatException">The tool is missing.</exception>
    ToolResult RunUnchecked(ToolCommand command, CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs the tool with <paramref name="input"/> copied to its standard input (closed at the end) and its standard
    /// output copied to <paramref name="output"/>; streams, so memory stays bounded. A non-zero exit throws.
    /// </summary>
    /// <exception cref="XcatException">The tool is missing, exited non-zero or stopped reading its input.</exception>
    void RunStreaming(ToolCommand command, Stream? input, Stream? output, CancellationToken cancellationToken = default);
}
