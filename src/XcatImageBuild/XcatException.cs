namespace XcatImageBuild;

/// <summary>
/// The one domain error of the engine: a message in xCAT's voice, the exit code the CLI returns for it and an
/// optional hint. Only the CLI turns it into a process exit.
/// </summary>
public class XcatException : Exception
{
    public XcatException(string message, int exitCode = 1, string? hint = null, Exception? inner = null)
        : base(message, inner)
    {
        ExitCode = exitCode;
        Hint = hint;
    }

    public XcatException()
        : this("xCAT command failed.")
    {
    }

    public XcatException(string message)
        : this(message, 1)
    {
    }

    public XcatException(string message, Exception inner)
        : this(message, 1, null, inner)
    {
    }

    /// <summary>The process exit code for this error; never 0.</summary>
    public int ExitCode { get; }

    /// <summary>What the user can do about it, printed after the message when present.</summary>
    public string? Hint { get; }

    /// <summary>Several problems found together; the message lists each on its own line.</summary>
    public static XcatException FromMany(IReadOnlyCollection<string> problems, int exitCode = 1)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return new XcatException(string.Join(Environment.NewLine, problems), exitCode);
    }
}
