using System.CommandLine;
using XcatImageBuild.Nodeset;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>nodeset NODERANGE osimage=IMAGE | osimage | boot</c>: writes each node's boot loader file for a diskless image
/// (or for a local boot) and records the node's boot state, as xCAT's nodeset does (xcat-spec §10).
/// </summary>
public static class NodesetVerb
{
    private const string Usage = """
        Usage:
           nodeset <noderange> [boot | osimage[=<imagename>]] [-V|--verbose]
           nodeset [-h|--help|-v|--version]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var noderange = new Argument<string?>("noderange") { Description = "The nodes to set.", Arity = ArgumentArity.ZeroOrOne };
        var state = new Argument<string?>("state") { Description = "osimage=<imagename>, osimage (the image in nodetype.provmethod) or boot.", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose", "-V") { Description = "Print what is written." };
        var command = new Command("nodeset", "Set the next boot state of nodes: boot a diskless osimage over the network, or boot from disk.")
        {
            noderange, state, verbose,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var nodes = parse.GetValue(noderange);
            var target = parse.GetValue(state);
            if (string.IsNullOrEmpty(nodes) || string.IsNullOrEmpty(target))
            {
                context.Output.WriteLine(Usage);
                return string.IsNullOrEmpty(nodes) && string.IsNullOrEmpty(target) ? 0 : 1;
            }

            var result = new NodesetStage(context.OpenSite(parse), context.Progress).Run(nodes, target);
            if (parse.GetValue(verbose))
            {
                foreach (var (path, _) in result.Files.Files)
                {
                    context.Output.WriteLine($"Wrote {path}");
                }
            }

            foreach (var line in result.Lines)
            {
                context.Output.WriteLine(line);
            }

            return 0;
        }));
        return command;
    }
}
