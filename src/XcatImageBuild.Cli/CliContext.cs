using System.CommandLine;
using XcatImageBuild.Processes;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Cli;

/// <summary>
/// What every verb shares: the <c>--site</c> option, the output streams and the one place that turns an
/// <see cref="XcatException"/> into <c>Error: ...</c> on stderr and an exit code.
/// </summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, CliEnvironment environment)
    {
        Output = output;
        Error = error;
        Environment = environment;
        SiteOption = new Option<string?>("--site")
        {
            Description = $"The site root directory (default: ${XcatSite.EnvironmentVariable}). Logical paths such as /install map under it.",
            Recursive = true,
            HelpName = "DIR",
        };
        Progress = new ConsoleProgress(output, error);
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>The environment variables and working directory the command line runs with, read once.</summary>
    public CliEnvironment Environment { get; }

    public Option<string?> SiteOption { get; }

    public ConsoleProgress Progress { get; }

    /// <summary>
    /// Opens the site the command line names, first finishing or rolling back an import that was interrupted (killed)
    /// there, so every verb sees the site either as it was before that import or with it complete.
    /// </summary>
    public XcatSite OpenSite(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var site = XcatSite.Open(parse.GetValue(SiteOption));
        if (ImportJournal.RecoverInterrupted(site) is { } recovered)
        {
            Progress.Warning(recovered);
        }

        return site;
    }

    /// <summary>
    /// Runs a verb's work: its return value is the exit code; an <see cref="XcatException"/> is printed as
    /// <c>Error: message</c> (and its hint) on stderr and gives its exit code.
    /// </summary>
    public int Execute(Func<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            return work();
        }
        catch (XcatException e)
        {
            return Fail(e);
        }
        catch (InvalidDataException e)
        {
            return Fail(new XcatException(e.Message, 1, null, e));
        }
    }

    /// <summary>
    /// SOURCE_DATE_EPOCH from the environment: the time reproducible outputs carry, or null when unset.
    /// </summary>
    /// <exception cref="XcatException">It is set but is not a number of seconds.</exception>
    public long? SourceDateEpoch()
    {
        var value = Environment["SOURCE_DATE_EPOCH"];
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
            ? epoch
            : throw new XcatException($"SOURCE_DATE_EPOCH must be a number of seconds since the epoch, not '{value}'.");
    }

    /// <summary>The runner of external tools, finding them on the environment's PATH.</summary>
    /// <param name="log">Receives each command line before it runs.</param>
    public ProcessRunner Runner(Action<string>? log = null) => new(Environment["PATH"], log);

    /// <summary>
    /// The compiled-recipe cache: <c>$XCATIMG_RECIPE_CACHE</c>, else <c>$XDG_CACHE_HOME/xcatimg/recipes</c>, else
    /// <c>~/.cache/xcatimg/recipes</c>.
    /// </summary>
    public RecipeCache RecipeCache() => Recipes.RecipeCache.Locate(
        Environment[Recipes.RecipeCache.EnvironmentVariable],
        Environment["XDG_CACHE_HOME"],
        Environment["HOME"] ?? System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile));

    /// <summary>Prints an error in xCAT's form and returns its exit code.</summary>
    public int Fail(XcatException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        foreach (var line in e.Message.Split('\n'))
        {
            Error.WriteLine($"Error: {line}");
        }

        if (e.Hint is not null)
        {
            Error.WriteLine($"Hint: {e.Hint}");
        }

        return e.ExitCode == 0 ? 1 : e.ExitCode;
    }
}
