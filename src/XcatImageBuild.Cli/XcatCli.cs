using System.CommandLine;
using System.CommandLine.Invocation;
using XcatImageBuild.Cli.Verbs;

namespace XcatImageBuild.Cli;

/// <summary>
/// The <c>xcatimg</c> command line: xCAT's verbs with xCAT's names and flags. Parsing, printing and exit codes only;
/// every verb hands its work to the engine.
/// </summary>
public static class XcatCli
{
    /// <summary>What <c>--help</c> says about exit codes (docs/exit-codes.md has the details).</summary>
    public static readonly string ExitCodes =
        $"Exit codes: 0 success; 1 an error, each printed as 'Error: ...' on stderr (xCAT's code); " +
        $"{CliContext.InternalErrorExitCode} an internal error, printed as 'Error: internal error: TYPE: message' (--debug adds the stack trace).";

    /// <summary>
    /// Runs one command line and returns its exit code: 0 on success, 1 when anything failed, and
    /// <see cref="CliContext.InternalErrorExitCode"/> when an exception nothing expected escaped a verb.
    /// </summary>
    /// <param name="args">The arguments after the program name.</param>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="environment">The environment and working directory to run with; this process's when null.</param>
    /// <param name="input">Standard input (the stanza file of <c>mkdef -z</c>); empty when null.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, CliEnvironment? environment = null, TextReader? input = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error, environment ?? CliEnvironment.FromProcess(), input ?? TextReader.Null);
        var root = new RootCommand($"xcatimg: xCAT osimage definitions, recipes, genimage, packimage, imgexport and imgimport.\n\n{ExitCodes}");
        root.Options.Add(context.SiteOption);
        root.Options.Add(context.DebugOption);
        foreach (var verb in Verbs(context))
        {
            root.Subcommands.Add(verb);
        }

        var parse = root.Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            // A flag the verb does not know, a missing value, an extra operand: the verb's usage, never a guess.
            return context.FailUsage(parse);
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
#pragma warning disable CA1031 // The one boundary where every exception becomes an exit code instead of a crash.
        catch (Exception e)
#pragma warning restore CA1031
        {
            context.Progress.Finish();
            return context.FailInternal(e, parse.GetValue(context.DebugOption));
        }
        finally
        {
            context.Progress.Finish();
        }
    }

    private static IEnumerable<Command> Verbs(CliContext context)
    {
        yield return TabdumpVerb.Create(context);
        yield return ImgexportVerb.Create(context);
        yield return ImgimportVerb.Create(context);
        yield return LsdefVerb.Create(context);
        yield return MkdefVerb.Create(context);
        yield return ChdefVerb.Create(context);
        yield return RmdefVerb.Create(context);
        yield return RecipeVerb.Create(context);
        yield return PackimageVerb.Create(context);
        yield return GenimageVerb.Create(context);
        yield return BuildVerb.Create(context);
        yield return PlanVerb.Create(context);
        yield return CopycdsVerb.Create(context);
        yield return NodesetVerb.Create(context);
        yield return RmimageVerb.Create(context);
        yield return LiteimgVerb.Create(context);
        yield return DatabaseDumpVerbs.CreateDump(context);
        yield return DatabaseDumpVerbs.CreateRestore(context);
        yield return TabrestoreVerb.Create(context);
        yield return KeygenVerb.Create(context);
        yield return TabchVerb.Create(context, "tabch");
        yield return TabchVerb.Create(context, "chtab");
        yield return BoottestVerb.Create(context);
        yield return ImgpushVerb.Create(context);
        yield return ImgpullVerb.Create(context);
        yield return ImgdiffVerb.Create(context);
    }
}
