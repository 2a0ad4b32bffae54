using System.CommandLine;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>imgpush BUNDLE REGISTRY/REPO:TAG [--insecure] [--username USER]</c> (docs/registry.md).</summary>
public static class ImgpushVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bundle = new Argument<string>("bundle") { Description = "The bundle file (imgexport's <image>.tgz)." };
        var target = new Argument<string>("reference") { Description = "Where to push it: REGISTRY/REPO:TAG." };
        var registry = new RegistryOptions();
        var command = new Command("imgpush", "Pushes a bundle to an OCI registry as an artifact, with its signature and SBOM as referrers.") { bundle, target };
        registry.AddTo(command);
        command.SetAction(parse => context.Execute(() =>
        {
            var reference = ImageReference.Parse(parse.GetValue(target)!);
            var path = Path.GetFullPath(parse.GetValue(bundle)!, context.Environment.WorkingDirectory);
            using var client = registry.Client(context, parse, reference);
            var result = new ImagePusher(client).Run(path, reference);
            context.Output.WriteLine($"Pushed {result.ImageName} to {result.Reference}");
            context.Output.WriteLine($"Digest: {result.Digest}");
            foreach (var referrer in result.Referrers)
            {
                context.Output.WriteLine($"Referrer: {referrer.ArtifactType} {referrer.Digest}");
            }

            return 0;
        }));
        return command;
    }
}
