using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>tabch</c> and <c>chtab</c> (one verb, two names, as in xCAT): <c>KEY=VAL[,...] TABLE.COL=VALUE...</c> adds or
/// changes rows, <c>TABLE.COL+=VALUE</c> adds to a comma list, <c>-d KEY=VAL[,...] TABLE...</c> deletes rows.
/// </summary>
public static class TabchVerb
{
    public static Command Create(CliContext context, string name)
    {
        ArgumentNullException.ThrowIfNull(context);
        var usage = $"""
            Usage: {name}
                   To add or update rows for tables:
                   {name} keycolname=keyvalue[,keycolname=keyvalue...] tablename.colname=newvalue [tablename.colname=newvalue...]
                   To delete rows from tables:
                   {name} -d|--delete keycolname=keyvalue[,keycolname=keyvalue...] tablename [tablename...]
                     keycolname=keyvalue   a column name-and-value pair
                     that identifies the rows in a table to be changed.
                     tablename.colname=newvalue
                     the new value for the specified row and column of the table.
                   {name} [-h|--help]
            """;
        var delete = new Option<bool>("--delete", "-d") { Description = "Delete the rows the keys match from each table named." };
        var operands = new Argument<string[]>("operands")
        {
            Description = "keycolname=keyvalue[,...], then tablename.colname=newvalue... (or, with -d, table names).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(name, "Add, change or delete rows of xCAT database tables, in one transaction.") { delete, operands };
        context.SetUsage(command, usage);
        command.SetAction(parse => context.Execute(() =>
        {
            var given = parse.GetValue(operands) ?? [];
            if (given.FirstOrDefault(o => o.Length > 1 && o[0] == '-') is { } flag)
            {
                throw new UsageException($"Invalid option '{flag}' for {name}.", usage);
            }

            if (given.Length == 0)
            {
                throw new UsageException($"{name} needs keycolname=keyvalue and the changes to make.", usage);
            }

            TableChange.Run(context.OpenSite(parse).Database, given, parse.GetValue(delete));
            return 0;
        }));
        return command;
    }
}
