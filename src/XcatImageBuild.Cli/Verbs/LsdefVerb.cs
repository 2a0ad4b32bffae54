using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>lsdef -t TYPE [NAMES] [-l|-s] [-z]</c>: lists object definitions as xCAT does.</summary>
public static class LsdefVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "lsdef",
            "List xCAT data object definitions (osimage, node, group, site): names only, or every attribute of the named objects.");
        var full = new Option<bool>("--long", "-l") { Description = "Show every attribute, also when no object is named." };
        var brief = new Option<bool>("--short", "-s") { Description = "Show only the object names." };
        var stanza = new Option<bool>("--stanza", "-z") { Description = "Print xCAT's stanza file format." };
        verb.Command.Options.Add(full);
        verb.Command.Options.Add(brief);
        verb.Command.Options.Add(stanza);
        verb.SetAction((parse, definitions, operands) =>
        {
            if (parse.GetValue(full) && parse.GetValue(brief))
            {
                throw new XcatException("The flags '-l' and '-s' cannot be used together.");
            }

            return definitions.List(parse.GetValue(verb.Type), operands, new ListStyle(parse.GetValue(full), parse.GetValue(brief), parse.GetValue(stanza)));
        });
        return verb.Command;
    }
}
