namespace XcatImageBuild.Processes;

/// <summary>One run of an external tool: the executable, its arguments and where and how it runs.</summary>
public sealed record ToolCommand(string Tool, IReadOnlyList<string> Arguments)
{
    /// <summary>The working directory, or null for the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables added to (or, with a null value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Receives each line the tool prints (standard output and standard error) as it prints it, for progress; what it
    /// prints is still captured in the result. Null when nobody listens.
    /// </summary>
    public Action<string>? OutputLine { get; init; }

    /// <summary>The command line as a shell would read it, for logs and error messages.</summary>
    public override string ToString() => string.Join(' ', new[] { Tool }.Concat(Arguments).Select(ShellQuote));

    private static string ShellQuote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./=:,+@%".Contains(c, StringComparison.Ordinal))
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
