using XcatImageBuild.Cli;

namespace XcatImageBuild.Testing;

/// <summary>What one xcatimg command line printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Output, string Error);

/// <summary>Runs the xcatimg command line in-process and captures what it prints.</summary>
public static class Cli
{
    public static CliResult Run(params string[] args) => Run(null, args);

    /// <summary>
    /// Runs it with <paramref name="environment"/> as its environment and working directory (this process's when
    /// null), so a test changes neither for the tests running beside it.
    /// </summary>
    public static CliResult Run(CliEnvironment? environment, params string[] args) => RunWithInput(environment, string.Empty, args);

    /// <summary>Runs it with <paramref name="input"/> as its standard input (a stanza file for mkdef -z).</summary>
    public static CliResult RunWithInput(CliEnvironment? environment, string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exitCode = XcatCli.Run(args, output, error, environment, reader);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}
