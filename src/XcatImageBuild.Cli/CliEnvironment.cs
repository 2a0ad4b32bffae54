using System.Collections;

namespace XcatImageBuild.Cli;

/// <summary>
/// What the command line takes from the process it runs in, read once when it starts: the environment variables and
/// the working directory. Each value the engine needs (SOURCE_DATE_EPOCH, the recipe cache, PATH, the variables of
/// package list includes, where imgexport writes) is handed to it from here as an option; the engine reads no
/// environment itself.
/// </summary>
/// <param name="Variables">The environment variables by name.</param>
/// <param name="WorkingDirectory">The directory relative paths on the command line are relative to.</param>
public sealed record CliEnvironment(IReadOnlyDictionary<string, string> Variables, string WorkingDirectory)
{
    /// <summary>Whether standard output is a terminal (progress is then drawn as live bars).</summary>
    public bool OutputIsTerminal { get; init; }

    /// <summary>
    /// Whether progress is drawn as live bars: the output is a terminal, <c>CI</c> is not set and the terminal is not
    /// <c>dumb</c>. Otherwise it is printed as plain lines.
    /// </summary>
    public bool DrawsLiveProgress => OutputIsTerminal && string.IsNullOrEmpty(this["CI"]) && this["TERM"] is not (null or "" or "dumb");

    /// <summary>The value of a variable, or null when it is not set.</summary>
    public string? this[string name] => Variables.GetValueOrDefault(name);

    /// <summary>The environment and working directory of this process.</summary>
    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            variables[(string)variable.Key] = (string?)variable.Value ?? string.Empty;
        }

        return new CliEnvironment(variables, Environment.CurrentDirectory) { OutputIsTerminal = !Console.IsOutputRedirected };
    }

    /// <summary>A copy with <paramref name="name"/> set to <paramref name="value"/>, or removed when it is null.</summary>
    public CliEnvironment With(string name, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var variables = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        if (value is null)
        {
            variables.Remove(name);
        }
        else
        {
            variables[name] = value;
        }

        return this with { Variables = variables };
    }
}
