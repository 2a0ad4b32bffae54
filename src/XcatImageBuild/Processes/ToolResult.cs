namespace XcatImageBuild.Processes;

/// <summary>What a finished tool run left: its exit code and what it printed (when captured).</summary>
public sealed record ToolResult(ToolCommand Command, int ExitCode, string StandardOutput, string StandardError);
