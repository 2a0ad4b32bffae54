using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>chdef -t TYPE NAMES [-p|-m] attr=value...</c>, <c>chdef -z [-p|-m]</c> and <c>chdef -t TYPE NAME -n NEWNAME</c>:
/// changes object definitions.
/// </summary>
public static class ChdefVerb
{
    private const string Usage = """
        Usage: chdef - Change xCAT data object definitions.
          chdef [-h | --help ] [-t object-types]
          chdef [-t object-types] [-o object-names] [-n new-name] [node]
          chdef [-t object-types] [-o object-names] [-m | --minus] [-p | --plus] [noderange] [attr=val [attr=val...]]
          chdef -z|--stanza [-m | --minus] [-p | --plus] < stanzafile
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "chdef",
            "Change xCAT data object definitions (osimage, node, group, site); a name not yet defined is created, as in xCAT.",
            Usage);
        var plus = new Option<bool>("--plus", "-p") { Description = "Add the values to comma-list attributes." };
        var minus = new Option<bool>("--minus", "-m") { Description = "Remove the values from comma-list attributes." };
        var stanza = new Option<bool>("--stanza", "-z") { Description = "Read the objects from a stanza file on stdin (what lsdef -z prints)." };
        var rename = new Option<string?>("-n") { Description = "Rename the object: every row that belongs to it takes the new name.", HelpName = "NEWNAME" };
        foreach (var option in new Option[] { plus, minus, stanza, rename })
        {
            verb.Command.Options.Add(option);
        }

        verb.SetAction(createSite: false, (parse, definitions, operands) =>
        {
            if (parse.GetValue(plus) && parse.GetValue(minus))
            {
                throw verb.Refuse("The flags '-p' and '-m' cannot be used together.");
            }

            var mode = parse.GetValue(plus) ? ChangeMode.Plus : parse.GetValue(minus) ? ChangeMode.Minus : ChangeMode.Replace;
            if (parse.GetValue(rename) is { } newName)
            {
                if (mode != ChangeMode.Replace || parse.GetValue(stanza))
                {
                    throw verb.Refuse("Cannot combine '-n' and '-d','-p','-m','-z','-w' options.");
                }

                return DefinitionVerb.Printed(definitions.Rename(parse.GetValue(verb.Type), operands, newName));
            }

            if (parse.GetValue(stanza))
            {
                StanzaVerbs.CheckStanzaCommandLine(verb, parse, operands);
                return DefinitionVerb.Printed(definitions.ChangeFromStanza(context.Input.ReadToEnd(), mode));
            }

            return DefinitionVerb.Printed(definitions.Change(parse.GetValue(verb.Type), operands, mode));
        });
        return verb.Command;
    }
}
