using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>tabrestore FILE</c>: a tabdump CSV into the table it is named after, replacing its rows, all or nothing.</summary>
public static class TabrestoreVerb
{
    private const string Usage = """
        Usage:
            tabrestore <tablename>.csv
            tabrestore [-h | --help]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var file = new Argument<string?>("file") { Description = "The CSV file, as tabdump prints it; its name names the table.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("tabrestore", "Replace the rows of an xCAT table with a tabdump CSV file.") { file };
        command.SetAction(parse => context.Execute(() =>
        {
            var name = parse.GetValue(file);
            if (string.IsNullOrEmpty(name) || parse.UnmatchedTokens.Count > 0)
            {
                context.Error.WriteLine(Usage);
                return 1;
            }

            var site = context.OpenSite(parse);
            TableDumps.RestoreTable(site.Database, Path.GetFullPath(name, context.Environment.WorkingDirectory));
            return 0;
        }));
        return command;
    }
}
