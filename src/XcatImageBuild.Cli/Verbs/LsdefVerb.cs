using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>lsdef [-t TYPES|-a] [NAMES] [-l|-s|-i ATTRS [-c]] [-z] [-w COND]...</c>: lists object definitions as xCAT does.
/// </summary>
public static class LsdefVerb
{
    private const string Usage = """
        Usage: lsdef - List xCAT data object definitions.
          lsdef [-h | --help ] [-t object-types]
          lsdef [-l|--long] [-a|--all] [-t object-types] [-z|--stanza] [-i attr-list]
          lsdef [-t object-types] [-o object-names] [-l | --long] [-s | --short] [-a | --all] [-z | --stanza]
                [-i attr-list [-c | --compress]] [-w attr==val [-w attr=~val] ...] [noderange]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var verb = new DefinitionVerb(
            context,
            "lsdef",
            "List xCAT data object definitions (osimage, node, group, site): names only, or every attribute of the named objects.",
            Usage);
        var full = new Option<bool>("--long", "-l") { Description = "Show every attribute, also when no object is named." };
        var brief = new Option<bool>("--short", "-s") { Description = "Show only the object names." };
        var stanza = new Option<bool>("--stanza", "-z") { Description = "Print xCAT's stanza file format (what mkdef -z reads)." };
        var all = new Option<bool>("--all", "-a") { Description = "List every object of every type." };
        var attributes = new Option<string?>("-i") { Description = "Show only these attributes (a comma list), each even when empty.", HelpName = "ATTRS" };
        var compress = new Option<bool>("--compress", "-c") { Description = "With -i: one 'NAME: attr=value' line per attribute." };
        var where = new Option<string[]>("-w")
        {
            Description = "Only objects whose attribute matches: attr==val, attr!=val, attr=~regex, attr!~regex. Repeatable; all must hold.",
            HelpName = "COND",
            AllowMultipleArgumentsPerToken = false,
        };
        foreach (var option in new Option[] { full, brief, stanza, all, attributes, compress, where })
        {
            verb.Command.Options.Add(option);
        }

        verb.SetAction(createSite: false, (parse, definitions, operands) =>
        {
            var listed = parse.GetValue(attributes);
            return definitions.List(new ListRequest(parse.GetValue(verb.Type), operands)
            {
                All = parse.GetValue(all),
                LongForm = parse.GetValue(full),
                NamesOnly = parse.GetValue(brief),
                Stanza = parse.GetValue(stanza),
                Compress = parse.GetValue(compress),
                Attributes = listed is null ? null : [.. listed.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
                Where = [.. (parse.GetValue(where) ?? []).Select(SelectionCondition.Parse)],
            });
        });
        return verb.Command;
    }
}
