using System.CommandLine;
using System.Globalization;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>imgpull REGISTRY/REPO:TAG [DEST] [--insecure] [--username USER]</c> (docs/registry.md).</summary>
public static class ImgpullVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var source = new Argument<string>("reference") { Description = "The artifact: REGISTRY/REPO:TAG or REGISTRY/REPO@sha256:HEX." };
        var destination = new Argument<string?>("dest") { Description = "The bundle file to write, or a directory (default: <image>.tgz here).", Arity = ArgumentArity.ZeroOrOne };
        var registry = new RegistryOptions();
        var command = new Command("imgpull", "Pulls a bundle from an OCI registry, verifying every digest; nothing is left behind when it fails.") { source, destination };
        registry.AddTo(command);
        command.SetAction(parse => context.Execute(() =>
        {
            var reference = ImageReference.Parse(parse.GetValue(source)!);
            using var client = registry.Client(context, parse, reference);
            var result = new ImagePuller(client).Run(reference, parse.GetValue(destination), context.Environment.WorkingDirectory);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Pulled {result.ImageName} from {reference} to {result.Path} ({result.Size} bytes)"));
            context.Output.WriteLine($"Digest: {result.ManifestDigest}");
            foreach (var referrer in result.Referrers)
            {
                context.Output.WriteLine($"Referrer: {referrer.ArtifactType} {referrer.Digest}");
            }

            return 0;
        }));
        return command;
    }
}
