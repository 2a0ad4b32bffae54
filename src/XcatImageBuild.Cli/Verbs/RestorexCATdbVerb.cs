using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>restorexCATdb -p DIR</c>: every <c>DIR/&lt;table&gt;.csv</c> back into its table, all or nothing.</summary>
public static class RestorexCATdbVerb
{
    private const string Usage = """
        Usage:
            restorexCATdb -p <directory>
            restorexCATdb [-h | --help]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = new Option<string?>("-p") { Description = "The directory dumpxCATdb -p wrote." };
        var command = new Command("restorexCATdb", "Restore the xCAT tables from a directory of CSV files, all or nothing.") { path };
        command.SetAction(parse => context.Execute(() =>
        {
            var directory = parse.GetValue(path);
            if (string.IsNullOrEmpty(directory) || parse.UnmatchedTokens.Count > 0)
            {
                context.Error.WriteLine(Usage);
                return 1;
            }

            var site = context.OpenSite(parse);
            var full = Path.GetFullPath(directory, context.Environment.WorkingDirectory);
            var tables = TableDumps.Restore(site.Database, full);
            context.Output.WriteLine($"Restored {tables.Count} tables from {full}: {string.Join(", ", tables)}.");
            return 0;
        }));
        return command;
    }
}
