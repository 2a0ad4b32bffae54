using System.CommandLine;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// xCAT's <c>dumpxCATdb -p DIR</c> (every table as <c>DIR/&lt;table&gt;.csv</c> in tabdump's format) and
/// <c>restorexCATdb -p DIR</c> (every <c>DIR/&lt;table&gt;.csv</c> back into its table, all or nothing): together they
/// move a site's tables between SQLite and PostgreSQL.
/// </summary>
public static class DatabaseDumpVerbs
{
    public static Command CreateDump(CliContext context) => Create(
        context,
        "dumpxCATdb",
        "Dump every xCAT table into a directory, one CSV file per table.",
        "The directory to write one CSV file per table into.",
        (site, directory) => $"Dumped {TableDumps.Dump(site.Database, directory).Count} tables into {directory}.");

    public static Command CreateRestore(CliContext context) => Create(
        context,
        "restorexCATdb",
        "Restore the xCAT tables from a directory of CSV files, all or nothing.",
        "The directory dumpxCATdb -p wrote.",
        (site, directory) =>
        {
            var tables = TableDumps.Restore(site.Database, directory);
            return $"Restored {tables.Count} tables from {directory}: {string.Join(", ", tables)}.";
        });

    // The verb's one shape: -p DIR is required, the site must exist, and the work's line is printed.
    private static Command Create(CliContext context, string name, string description, string pathDescription, Func<XcatSite, string, string> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usage = $"""
            Usage:
                {name} -p <directory>
                {name} [-h | --help]
            """;
        var path = new Option<string?>("-p") { Description = pathDescription };
        var command = new Command(name, description) { path };
        command.SetAction(parse => context.Execute(() =>
        {
            var directory = parse.GetValue(path);
            if (string.IsNullOrEmpty(directory) || parse.UnmatchedTokens.Count > 0)
            {
                context.Error.WriteLine(usage);
                return 1;
            }

            var site = context.OpenSite(parse);
            context.Output.WriteLine(work(site, Path.GetFullPath(directory, context.Environment.WorkingDirectory)));
            return 0;
        }));
        return command;
    }
}
