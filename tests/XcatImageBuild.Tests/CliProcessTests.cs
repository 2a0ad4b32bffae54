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
}
