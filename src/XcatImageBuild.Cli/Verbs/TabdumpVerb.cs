using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>tabdump [-d] [-w COND]... [TABLE]</c>: a table in xCAT's CSV form (only the rows that meet every <c>-w</c>
/// condition), its column descriptions, or the list of tables (xcat-spec §4.2).
/// </summary>
public static class TabdumpVerb
{
    private const string Usage = """
        Usage: tabdump [-d] [table]
               tabdump      [table]
               tabdump [-w attr==val [-w attr=~val] ...] [table]
               tabdump [-?|-h|--help]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new Argument<string?>("table") { Description = "The table to print.", Arity = ArgumentArity.ZeroOrOne };
        var describe = new Option<bool>("-d") { Description = "Print the descriptions of the table's columns (of every table, without a table)." };
        var where = new Option<string[]>("-w")
        {
            Description = "Only rows that are not disabled and whose column matches: col==val, col!=val, col=~LIKE, col!~LIKE, <, <=, >, >=. Repeatable.",
            HelpName = "COND",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("tabdump", "Display an xCAT database table in CSV format.") { table, describe, where };
        context.SetUsage(command, Usage);
        command.SetAction(parse => context.Execute(() =>
        {
            var name = parse.GetValue(table);
            var conditions = parse.GetValue(where) ?? [];
            if (name is not null && name.Length > 1 && name[0] == '-')
            {
                throw new UsageException($"Invalid option '{name}' for tabdump.", Usage);
            }

            if (parse.GetValue(describe) && conditions.Length > 0)
            {
                throw new UsageException("The flags '-d' and '-w' cannot be used together.", Usage);
            }

            if (string.IsNullOrEmpty(name))
            {
                if (conditions.Length > 0)
                {
                    throw new UsageException("tabdump -w needs a table name.", Usage);
                }

                if (parse.GetValue(describe))
                {
                    context.Output.Write(TableDescriptions.FormatTables(XcatSchema.All));
                    return 0;
                }

                context.OpenSite(parse);
                context.Output.Write(string.Concat(XcatSchema.All.Select(t => t.Name).Order(StringComparer.Ordinal).Select(t => t + "\n")));
                return 0;
            }

            var schema = XcatSchema.Get(name);
            if (parse.GetValue(describe))
            {
                // The descriptions are xCAT's own and need no site.
                context.Output.Write(TableDescriptions.FormatColumns(schema));
                return 0;
            }

            var filters = conditions.Select(c => RowCondition.Parse(c, schema)).ToList();
            var site = context.OpenSite(parse);
            var rows = site.Database.ReadAll(schema);

            // Like xCAT's getAllAttribsWhere, a filtered dump leaves disabled rows out.
            var selected = filters.Count == 0 ? rows : [.. rows.Where(r => !r.IsDisabled && filters.All(f => f.Matches(r)))];
            context.Output.Write(TabDump.Format(schema, selected));
            return 0;
        }));
        return command;
    }
}
