using System.CommandLine;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>mkdef -t TYPE -o NAMES attr=value...</c>: creates object definitions.</summary>
public static class MkdefVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "mkdef",
            "Create xCAT data object definitions (osimage, node, group, site) from attr=value pairs, in one transaction.");
        var force = new Option<bool>("--force", "-f") { Description = "Replace an object that already exists." };
        verb.Command.Options.Add(force);
        verb.SetAction((parse, definitions, operands) => definitions.Make(parse.GetValue(verb.Type), operands, parse.GetValue(force)));
        return verb.Command;
    }
}
