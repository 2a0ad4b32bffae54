using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests;

/// <summary>The built xcatimg executable itself, run as a separate process the way users and scripts run it.</summary>
public sealed class CliProcessTests
{
    [Fact]
    public void The_real_executable_prints_results_on_stdout_and_errors_on_stderr_with_its_exit_codes()
    {
        // Given the xcatimg.dll built next to the tests and a new site
        using var site = new TempSite();
        var dll = Path.Combine(AppContext.BaseDirectory, "xcatimg.dll");
        var runner = new ProcessRunner();
        ToolResult Xcatimg(params string[] args) => runner.RunUnchecked(new ToolCommand("dotnet", [dll, "--site", site.Directory, .. args]));

        // When one command succeeds and one is refused
        var made = Xcatimg("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux", "profile=compute");
        var refused = Xcatimg("chdef", "-t", "osimage", "img", "colour=blue");

        // Then the process exit codes and streams are the CLI's contract
        Assert.Equal(0, made.ExitCode);
        Assert.Equal("1 object definitions have been created or modified.\n", made.StandardOutput);
        Assert.Empty(made.StandardError);
        Assert.Equal(1, refused.ExitCode);
        Assert.Empty(refused.StandardOutput);
        Assert.Equal(
            "Error: 'colour' is not a valid attribute name for an object type of 'osimage'.\n" +
            "Error: One or more errors occured when attempting to create or modify xCAT object definitions.\n",
            refused.StandardError);
    }

    [Fact]
    public void An_unexpected_failure_is_one_internal_error_line_with_its_exit_code_and_the_trace_only_with_debug()
    {
        // Given a site, and a standard output no write can succeed on (a full disk: /dev/full), a fault no check foresees
        using var site = new TempSite();
        var dll = Path.Combine(AppContext.BaseDirectory, "xcatimg.dll");
        var runner = new ProcessRunner();
        ToolResult Xcatimg(params string[] args) => runner.RunUnchecked(new ToolCommand(
            "bash", ["-c", "dotnet \"$0\" \"$@\" > /dev/full", dll, "--site", site.Directory, .. args]));

        // When the real executable prints a table there, without and with --debug
        var plain = Xcatimg("tabdump", "site");
        var debug = Xcatimg("tabdump", "site", "--debug");

        // Then it exits with the documented internal-error code (never a crash: 134) and says what failed in one line
        Assert.Equal(70, plain.ExitCode);
        var lines = plain.StandardError.TrimEnd('\n').Split('\n');
        Assert.StartsWith("Error: internal error: System.IO.", lines[0], StringComparison.Ordinal);
        Assert.Contains("No space left on device", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", plain.StandardError, StringComparison.Ordinal);
        Assert.Equal(70, debug.ExitCode);
        Assert.StartsWith(lines[0] + "\n", debug.StandardError, StringComparison.Ordinal);
        Assert.Contains("   at XcatImageBuild.", debug.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_documents_the_exit_codes()
    {
        var help = XcatImageBuild.Testing.Cli.Run("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Exit codes: 0 success; 1 an error", help.Output, StringComparison.Ordinal);
        Assert.Contains("70 an internal error", help.Output, StringComparison.Ordinal);
        Assert.Contains("--debug", help.Output, StringComparison.Ordinal);
    }
}
