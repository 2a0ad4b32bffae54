using System.CommandLine;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>rmdef -t TYPE NAMES</c>: removes object definitions.</summary>
public static class RmdefVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "rmdef",
            "Remove xCAT data object definitions (osimage, node, group) and every table row that belongs to them.");
        verb.SetAction((parse, definitions, operands) => definitions.Remove(parse.GetValue(verb.Type), operands));
        return verb.Command;
    }
}
