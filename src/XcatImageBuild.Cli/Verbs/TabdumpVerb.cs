using System.CommandLine;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>tabdump [TABLE]</c>: a table in xCAT's CSV form, or the list of tables.</summary>
public static class TabdumpVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new Argument<string?>("table") { Description = "The table to print.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("tabdump", "Display an xCAT database table in CSV format.") { table };
        command.SetAction(parse => context.Execute(() =>
        {
            var site = context.OpenSite(parse);
            var name = parse.GetValue(table);
            if (string.IsNullOrEmpty(name))
            {
                foreach (var known in XcatSchema.All.Select(t => t.Name).Order(StringComparer.Ordinal))
                {
                    context.Output.WriteLine(known);
                }

                return 0;
            }

            var schema = XcatSchema.Get(name);
            context.Output.Write(TabDump.Format(schema, site.Database.ReadAll(schema)));
            return 0;
        }));
        return command;
    }
}
