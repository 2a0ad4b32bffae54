using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>chdef -t TYPE NAMES [-p|-m] attr=value...</c>: changes object definitions.</summary>
public static class ChdefVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "chdef",
            "Change xCAT data object definitions (osimage, node, group, site); a name not yet defined is created, as in xCAT.");
        var plus = new Option<bool>("--plus", "-p") { Description = "Add the values to comma-list attributes." };
        var minus = new Option<bool>("--minus", "-m") { Description = "Remove the values from comma-list attributes." };
        verb.Command.Options.Add(plus);
        verb.Command.Options.Add(minus);
        verb.SetAction((parse, definitions, operands) =>
        {
            if (parse.GetValue(plus) && parse.GetValue(minus))
            {
                throw new XcatException("The flags '-p' and '-m' cannot be used together.");
            }

            var mode = parse.GetValue(plus) ? ChangeMode.Plus : parse.GetValue(minus) ? ChangeMode.Minus : ChangeMode.Replace;
            return definitions.Change(parse.GetValue(verb.Type), operands, mode);
        });
        return verb.Command;
    }
}
