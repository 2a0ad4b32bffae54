using System.CommandLine;
using XcatImageBuild.Images;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>rmimage [-V|--verbose] IMAGE [--xcatdef]</c>: removes a diskless image's files, as xCAT's rmimage (xcat-spec §12), safely.</summary>
public static class RmimageVerb
{
    private const string Usage = """
        Usage:
            rmimage [-h | --help]
            rmimage [-V | --verbose] imagename [--xcatdef]
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = new Argument<string?>("imagename") { Description = "The osimage whose files to remove.", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose", "-V") { Description = "Say which image directory is used and why." };
        var definition = new Option<bool>("--xcatdef") { Description = "Also remove the osimage definition." };
        var command = new Command("rmimage", "Remove a diskless image's rootimg, kernel, initrds and packed images from the management node.")
        {
            image, verbose, definition,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var name = parse.GetValue(image);
            if (string.IsNullOrEmpty(name))
            {
                context.Error.WriteLine(Usage);
                return 1;
            }

            new ImageRemover(context.OpenSite(parse), context.Progress).Run(name, parse.GetValue(definition), parse.GetValue(verbose));
            return 0;
        }));
        return command;
    }
}
