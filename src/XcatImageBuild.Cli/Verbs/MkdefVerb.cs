using System.CommandLine;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>mkdef -t TYPE -o NAMES [-f] attr=value...</c> and <c>mkdef -z [-f]</c>: creates object definitions.</summary>
public static class MkdefVerb
{
    private const string Usage = """
        Usage: mkdef - Create xCAT data object definitions.
          mkdef [-h | --help ] [-t object-types]
          mkdef [-t object-types] [-o object-names] [-f | --force] [noderange] [attr=val [attr=val...]]
          mkdef -z|--stanza [-f | --force] < stanzafile
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "mkdef",
            "Create xCAT data object definitions (osimage, node, group, site) from attr=value pairs or a stanza file on stdin, in one transaction.",
            Usage);
        var force = new Option<bool>("--force", "-f") { Description = "Replace an object that already exists." };
        var stanza = new Option<bool>("--stanza", "-z") { Description = "Read the objects from a stanza file on stdin (what lsdef -z prints)." };
        verb.Command.Options.Add(force);
        verb.Command.Options.Add(stanza);
        verb.SetAction(createSite: true, (parse, definitions, operands) =>
        {
            if (!parse.GetValue(stanza))
            {
                return DefinitionVerb.Printed(definitions.Make(parse.GetValue(verb.Type), operands, parse.GetValue(force)));
            }

            StanzaVerbs.CheckStanzaCommandLine(verb, parse, operands);
            return DefinitionVerb.Printed(definitions.MakeFromStanza(context.Input.ReadToEnd(), parse.GetValue(force)));
        });
        return verb.Command;
    }
}
