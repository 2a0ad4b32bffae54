namespace XcatImageBuild.Cli;

/// <summary>
/// A command line the verb cannot take (an unknown flag, flags that do not go together): printed as
/// <c>Error: message</c> followed by the verb's usage, on stderr, with exit code 1.
/// </summary>
public sealed class UsageException : XcatException
{
    public UsageException(string message, string usage)
        : base(message, 1)
    {
        Usage = usage;
    }

    public UsageException()
        : this("Invalid command line.", string.Empty)
    {
    }

    public UsageException(string message)
        : this(message, string.Empty)
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, 1, null, innerException)
    {
        Usage = string.Empty;
    }

    /// <summary>The verb's usage text.</summary>
    public string Usage { get; }
}
