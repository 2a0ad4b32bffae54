using System.CommandLine;
using XcatImageBuild.Bundles.Export;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>imgexport &lt;image_name&gt; [destination] [-e|--extra src[:dir]]... [-p|--postscripts node] [-R user@host] [-v]</c>:
/// xCAT's flags, usage text and messages (xcat-spec §1.1), plus <c>--sign KEYFILE</c>.
/// </summary>
public static class ImgexportVerb
{
    private static readonly string[] Usage =
    [
        "imgexport: Creates a tarball (bundle) of an existing xCAT image",
        "Usage: ",
        "\timgexport [-h|--help]",
        "\timgexport <image_name> [destination] [[-e|--extra <file:dir> ] ... ] [-p|--postscripts <node_name>] [-R|--remotehost <userid@host>] [-v]",
    ];

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var positional = new Argument<string[]>("image_name [destination]")
        {
            Description = "The osimage to export, then the bundle's file name (default <image_name>.tgz, written in the current directory).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var extra = new Option<string[]>("--extra", "-e")
        {
            Description = "A file or directory to carry in the bundle, restored to dir on import (repeatable).",
            HelpName = "src[:dir]",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var postscripts = new Option<string?>("--postscripts", "-p")
        {
            Description = "Carry the postscripts and postbootscripts names of this node (after xcatdefaults).",
            HelpName = "node_name",
        };
        var remote = new Option<string?>("--remotehost", "-R") { Description = "Not supported: copy the bundle with scp instead.", HelpName = "userid@host" };
        var sign = new Option<string?>("--sign")
        {
            Description = "Sign the bundle's SHA256SUMS with this minisign secret key (from xcatimg keygen or minisign -G -W).",
            HelpName = "KEYFILE",
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print more of what is done." };
        var help = new Option<bool>("--xcat-help", "-h", "-?") { Description = "Show xCAT's usage text.", Hidden = true };
        var command = new Command("imgexport", "Creates a tarball (bundle) of an existing xCAT image.")
        {
            positional, extra, postscripts, remote, sign, verbose, help,
        };
        // Unknown options are dropped, as xCAT's Getopt configuration does.
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(parse =>
        {
            var arguments = parse.GetValue(positional) ?? [];
            var nothingGiven = arguments.Length == 0 && parse.UnmatchedTokens.Count == 0 && !parse.GetValue(verbose) &&
                               (parse.GetValue(extra) ?? []).Length == 0 && parse.GetValue(postscripts) is null && parse.GetValue(remote) is null &&
                               parse.GetValue(sign) is null;
            if (parse.GetValue(help) || nothingGiven)
            {
                foreach (var line in Usage)
                {
                    context.Output.WriteLine(line);
                }

                return parse.GetValue(help) ? 0 : 1;
            }

            return context.Execute(() =>
            {
                var site = context.OpenSite(parse);
                context.Progress.Verbose = parse.GetValue(verbose);
                var options = new ExportOptions
                {
                    // Options without an image name go on with an empty one, as xCAT does ("Exporting  to ...").
                    ImageName = arguments.Length > 0 ? arguments[0] : string.Empty,
                    Destination = arguments.Length > 1 ? arguments[1] : null,
                    WorkingDirectory = context.Environment.WorkingDirectory,
                    Extras = parse.GetValue(extra) ?? [],
                    PostscriptsNode = parse.GetValue(postscripts),
                    RemoteHost = parse.GetValue(remote),
                    Verbose = parse.GetValue(verbose),
                    SourceDateEpoch = context.SourceDateEpoch(),
                    SigningKey = parse.GetValue(sign) is { } key ? Path.Combine(context.Environment.WorkingDirectory, key) : null,
                };
                var result = new Exporter(site, context.Progress).Run(options);
                foreach (var skipped in result.Skipped)
                {
                    context.Error.WriteLine($"Error: {skipped}");
                }

                return result.AnythingSkipped ? 1 : 0;
            });
        });
        return command;
    }
}
