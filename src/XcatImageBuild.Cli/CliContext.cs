using System.CommandLine;
using XcatImageBuild.Processes;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;

namespace XcatImageBuild.Cli;

/// <summary>
/// What every verb shares: the <c>--site</c> and <c>--debug</c> options, the output streams and the one place that
/// turns an error into <c>Error: ...</c> on stderr and an exit code.
/// </summary>
public sealed class CliContext
{
    /// <summary>The environment variable that names the site when <c>--site</c> is not given.</summary>
    public const string SiteEnvironmentVariable = "XCATIMG_SITE";

    /// <summary>The exit code of an unexpected error (a defect, not bad input): EX_SOFTWARE of sysexits.h.</summary>
    public const int InternalErrorExitCode = 70;

    public CliContext(TextWriter output, TextWriter error, CliEnvironment environment)
    {
        Output = output;
        Error = error;
        Environment = environment;
        SiteOption = new Option<string?>("--site")
        {
            Description = $"The site root directory (default: ${SiteEnvironmentVariable}). Logical paths such as /install map under it.",
            Recursive = true,
            HelpName = "DIR",
        };
        DebugOption = new Option<bool>("--debug")
        {
            Description = $"On an internal error (exit code {InternalErrorExitCode}), also print its stack trace.",
            Recursive = true,
        };
        Progress = new ConsoleProgress(output, error, environment.DrawsLiveProgress);
    }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    /// <summary>The environment variables and working directory the command line runs with, read once.</summary>
    public CliEnvironment Environment { get; }

    public Option<string?> SiteOption { get; }

    public Option<bool> DebugOption { get; }

    public ConsoleProgress Progress { get; }

    /// <summary>
    /// Opens the site the command line names (what opening it recovers is printed as a warning).
    /// </summary>
    /// <exception cref="XcatException">No site is named, or it cannot be opened.</exception>
    public XcatSite OpenSite(ParseResult parse) => XcatSite.Open(SiteDirectory(parse), Progress);

    /// <summary>The site directory: <c>--site</c>, else <see cref="SiteEnvironmentVariable"/>.</summary>
    /// <exception cref="XcatException">Neither is given.</exception>
    public string SiteDirectory(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var directory = parse.GetValue(SiteOption);
        if (string.IsNullOrEmpty(directory))
        {
            directory = Environment[SiteEnvironmentVariable];
        }

        return string.IsNullOrEmpty(directory)
            ? throw new XcatException(
                $"No site given: pass --site DIR or set {SiteEnvironmentVariable}.",
                1,
                "A site is a directory that holds the tables and the /install and /tftpboot trees; it is created on first use.")
            : directory;
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
            Progress.Finish();
            return Fail(e);
        }
        catch (InvalidDataException e)
        {
            Progress.Finish();
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
    /// <summary>
    /// The error boundary: an exception nothing expected (a defect, or a fault no check foresaw) becomes one line,
    /// <c>Error: internal error: TYPE: message</c>, and <see cref="InternalErrorExitCode"/>; the stack trace follows
    /// only with <c>--debug</c>.
    /// </summary>
    public int FailInternal(Exception e, bool debug)
    {
        ArgumentNullException.ThrowIfNull(e);
        var lines = e.Message.Split('\n');
        Error.WriteLine($"Error: internal error: {e.GetType().FullName}: {lines[0]}");
        foreach (var line in lines.Skip(1))
        {
            Error.WriteLine($"Error: {line}");
        }

        if (debug)
        {
            Error.WriteLine(e.ToString());
        }
        else
        {
            Error.WriteLine("Hint: run the command again with --debug to see where it happened, and report it.");
        }

        return InternalErrorExitCode;
    }

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
