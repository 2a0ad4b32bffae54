using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>dumpxCATdb -p DIR</c>: every table as <c>DIR/&lt;table&gt;.csv</c> in tabdump's format.</summary>
public static class DumpxCATdbVerb
{
    private const string Usage = """
        Usage:
            dumpxCATdb -p <directory>
            dumpxCATdb [-h | --help]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = new Option<string?>("-p") { Description = "The directory to write one CSV file per table into." };
        var command = new Command("dumpxCATdb", "Dump every xCAT table into a directory, one CSV file per table.") { path };
        command.SetAction(parse => context.Execute(() =>
        {
            var directory = parse.GetValue(path);
            if (string.IsNullOrEmpty(directory) || parse.UnmatchedTokens.Count > 0)
            {
                context.Error.WriteLine(Usage);
                return 1;
            }

            var site = context.OpenSite(parse);
            var files = TableDumps.Dump(site.Database, Path.GetFullPath(directory, context.Environment.WorkingDirectory));
            context.Output.WriteLine($"Dumped {files.Count} tables into {Path.GetFullPath(directory, context.Environment.WorkingDirectory)}.");
            return 0;
        }));
        return command;
    }
}
