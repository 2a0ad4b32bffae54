using System.CommandLine;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>rmdef -t TYPE NAMES</c> and <c>rmdef -a -f</c>: removes object definitions.</summary>
public static class RmdefVerb
{
    private const string Usage = """
        Usage: rmdef - Remove xCAT data object definitions.
          rmdef [-h | --help ] [-t object-types]
          rmdef [-t object-types] [-o object-names] [noderange]
          rmdef -a|--all -f|--force
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "rmdef",
            "Remove xCAT data object definitions (osimage, node, group) and every table row that belongs to them.",
            Usage);
        var all = new Option<bool>("--all", "-a") { Description = "Remove every osimage, node and group definition (needs -f); the site definition stays." };
        var force = new Option<bool>("--force", "-f") { Description = "Confirm -a." };
        verb.Command.Options.Add(all);
        verb.Command.Options.Add(force);
        verb.SetAction(createSite: false, (parse, definitions, operands) =>
        {
            if (!parse.GetValue(all))
            {
                return DefinitionVerb.Printed(definitions.Remove(parse.GetValue(verb.Type), operands));
            }

            if (!parse.GetValue(force))
            {
                throw verb.Refuse("You must use the '-f' option when using the '-a' option.");
            }

            if (parse.GetValue(verb.Type) is not null)
            {
                throw verb.Refuse("The flags '-a' and '-t' cannot be used together.");
            }

            if (!string.IsNullOrEmpty(operands.ObjectNames) || operands.Attributes.Count > 0)
            {
                throw verb.Refuse("Cannot use '-a' with '-o', a noderange or file input.");
            }

            return DefinitionVerb.Printed(definitions.RemoveAll());
        });
        return verb.Command;
    }
}
