using System.CommandLine;
using System.Reflection;
using XcatImageBuild.Statelite;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>liteimg [-V] IMAGE</c>: the statelite layout of an image's root, and <c>rootimg-statelite.gz</c> for a ramdisk
/// image, as xCAT's liteimg. SOURCE_DATE_EPOCH in the environment makes the ramdisk archive reproducible.
/// </summary>
public static class LiteimgVerb
{
    private const string Usage = """
        liteimg -h # this help message
        liteimg -v # version
        liteimg -V # verbose
        liteimg imagename
        """;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = new Argument<string?>("imagename") { Description = "The statelite osimage.", Arity = ArgumentArity.ZeroOrOne };
        var verbose = new Option<bool>("--verbose", "-V") { Description = "Print each change to the root." };
        var version = new Option<bool>("--version", "-v") { Description = "Print the version." };
        var obsolete = new[] { new Option<string?>("-o") { Hidden = true }, new Option<string?>("-p") { Hidden = true }, new Option<string?>("-a") { Hidden = true } };
        var command = new Command("liteimg", "Make the statelite links of an osimage's root (and rootimg-statelite.gz for a ramdisk image).")
        {
            image, verbose, version,
        };
        foreach (var option in obsolete)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => context.Execute(() =>
        {
            if (parse.GetValue(version))
            {
                context.Output.WriteLine($"Version {typeof(LiteimgStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}");
                return 0;
            }

            var name = parse.GetValue(image);
            if (obsolete.Any(o => parse.GetResult(o) is not null))
            {
                throw new XcatException(name is null
                    ? "-o, -p and -a are not supported; use 'liteimg <osimage name>'."
                    : "-o, -p and -a options are not allowed when a image name is specified.");
            }

            if (string.IsNullOrEmpty(name))
            {
                // A bare liteimg prints its usage with exit code 0, as xCAT does.
                context.Output.WriteLine(Usage);
                return 0;
            }

            new LiteimgStage(context.OpenSite(parse), context.Runner(), context.Progress)
                .Run(new LiteimgOptions(name) { Verbose = parse.GetValue(verbose), SourceDateEpoch = context.SourceDateEpoch() });
            return 0;
        }));
        return command;
    }
}
