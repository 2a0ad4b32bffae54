using System.CommandLine;
using XcatImageBuild.Media;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>copycds [-n DISTNAME] [-a ARCH] [-p PATH] [-i] [-o] [-w] ISO_OR_DIR...</c>: copies distribution media into
/// installdir and creates the default osimage definitions for them.
/// </summary>
public static class CopycdsVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var media = new Argument<string[]>("media") { Description = "ISO images or directories holding unpacked media.", Arity = ArgumentArity.OneOrMore };
        var name = new Option<string?>("-n", "--name", "--osver") { Description = "The distribution name to use (rhels9.2, sle15.5...).", HelpName = "DISTNAME" };
        var arch = new Option<string?>("-a", "--arch") { Description = "The architecture, for media that do not state it.", HelpName = "ARCH" };
        var path = new Option<string?>("-p", "--path") { Description = "The directory to copy to (default: <installdir>/<distname>/<arch>).", HelpName = "PATH" };
        var inspect = new Option<bool>("-i", "--inspection") { Description = "Print DISTNAME, ARCH and DISCNO of each media and copy nothing." };
        var noOsImage = new Option<bool>("-o", "--noosimage") { Description = "Create no osimage definitions." };
        var noOverwrite = new Option<bool>("-w", "--nonoverwrite") { Description = "Do not copy a media that was already copied." };
        var command = new Command("copycds", "Copy Linux distribution media to the install directory and create its default osimages.")
        {
            media, name, arch, path, inspect, noOsImage, noOverwrite,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var site = context.OpenOrCreateSite(parse);
            var options = new CopycdsOptions
            {
                Name = parse.GetValue(name),
                Arch = parse.GetValue(arch),
                Path = parse.GetValue(path),
                Inspect = parse.GetValue(inspect),
                NoOsImage = parse.GetValue(noOsImage),
                NoOverwrite = parse.GetValue(noOverwrite),
            };
            new CopycdsStage(site, context.Runner(), context.Progress).Run(parse.GetValue(media)!, options);
            return 0;
        }));
        return command;
    }
}
