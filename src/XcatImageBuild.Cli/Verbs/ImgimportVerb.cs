using System.CommandLine;
using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>imgimport &lt;bundle_file_name&gt; [-p noderange] [-f new_profile] [-R user@host] [-n] [-v]</c> with xCAT's usage
/// text (xcat-spec §1.6), plus the safety flags <c>--allow-path</c>, <c>--require-checksums</c>, <c>--trusted-key</c>,
/// <c>--require-signature</c>, <c>--verify-only</c>,
/// <c>--max-size</c> and <c>--max-members</c>.
/// </summary>
public static class ImgimportVerb
{
    private const string Usage =
        "imgimport: Takes in an xCAT image bundle and defines it to xCAT so you can use it\n" +
        "Usage: \n" +
        "\timgimport [-h|--help]\n" +
        "\timgimport <bundle_file_name> [-p|--postscripts <nodelist>] [-f|--profile <new_profile>] [-R|--remotehost <userid@host>] [-n|--nozip] [-v]";

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bundle = new Argument<string?>("bundle_file_name") { Description = "The bundle (a gzip tar; a plain tar with -n).", Arity = ArgumentArity.ZeroOrOne };
        var postscripts = new Option<string?>("--postscripts", "-p") { Description = "Write the bundle's postscripts for the nodes of this noderange.", HelpName = "noderange" };
        var profile = new Option<string?>("--profile", "-f") { Description = "Import under a new profile, renaming the image and moving its files.", HelpName = "new_profile" };
        var remote = new Option<string?>("--remotehost", "-R") { Description = "Not supported here: copy the bundle to this host first.", HelpName = "userid@host" };
        var noZip = new Option<bool>("--nozip", "-n") { Description = "The bundle is a plain tar, not gzip-compressed." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Print each step as it finishes." };
        var allowPath = new Option<string[]>("--allow-path")
        {
            Description = "Also allow the bundle to write under this logical prefix (besides installdir and tftpdir). Repeatable.",
            HelpName = "PREFIX",
            AllowMultipleArgumentsPerToken = false,
        };
        var requireChecksums = new Option<bool>("--require-checksums") { Description = "Refuse a bundle whose image directories carry no SHA256SUMS." };
        var trustedKey = new Option<string[]>("--trusted-key")
        {
            Description = "Import only image directories whose SHA256SUMS.minisig was made by this minisign public key. Repeatable.",
            HelpName = "PUBKEY",
            AllowMultipleArgumentsPerToken = false,
        };
        var requireSignature = new Option<bool>("--require-signature") { Description = "Refuse a bundle that is not signed by a --trusted-key." };
        var verifyOnly = new Option<bool>("--verify-only") { Description = "Check the bundle as an import would, then change nothing." };
        var maxSize = new Option<long?>("--max-size") { Description = $"Refuse a bundle that unpacks to more bytes than this (default {BundleReaderLimits.Default.MaxBytes}).", HelpName = "BYTES" };
        var help = new Option<bool>("--xcat-help", "-h", "-?") { Description = "Show xCAT's usage text.", Hidden = true };
        var maxMembers = new Option<long?>("--max-members") { Description = $"Refuse a bundle with more members than this (default {BundleReaderLimits.Default.MaxMembers}).", HelpName = "N" };
        var registry = new RegistryOptions();
        var command = new Command("imgimport", Usage)
        {
            bundle, postscripts, profile, remote, noZip, verbose, allowPath, requireChecksums, trustedKey, requireSignature, verifyOnly, maxSize, maxMembers, help,
        };
        registry.AddTo(command);
        command.SetAction(parse => context.Execute(() =>
        {
            var bundlePath = parse.GetValue(bundle);
            if (parse.GetValue(help) || string.IsNullOrEmpty(bundlePath))
            {
                context.Output.WriteLine(Usage);
                return parse.GetValue(help) ? 0 : 1;
            }

            // Checking a bundle changes nothing, so it does not make a site either.
            var site = parse.GetValue(verifyOnly) ? context.OpenSite(parse) : context.OpenOrCreateSite(parse);
            context.Progress.Verbose = parse.GetValue(verbose);
            var limits = BundleReaderLimits.Default;
            limits = new BundleReaderLimits(parse.GetValue(maxSize) ?? limits.MaxBytes, parse.GetValue(maxMembers) ?? limits.MaxMembers);
            // A REGISTRY/REPO:TAG that is not a file here is pulled first, under the site's /var/lib/xcatimg/pulls.
            using var pulled = !File.Exists(Path.GetFullPath(bundlePath, context.Environment.WorkingDirectory)) && ImageReference.Looks(bundlePath)
                ? Pull(context, parse, registry, ImageReference.Parse(bundlePath), site.Map("/var/lib/xcatimg/pulls"))
                : null;
            if (pulled is not null)
            {
                bundlePath = pulled.Result.Path;
            }

            var result = new Importer(site, context.Progress).Run(
                new ImportOptions
                {
                    BundlePath = bundlePath,
                    NoZip = parse.GetValue(noZip),
                    NewProfile = parse.GetValue(profile),
                    Noderange = parse.GetValue(postscripts),
                    RemoteHost = parse.GetValue(remote),
                    AllowedPrefixes = parse.GetValue(allowPath) ?? [],
                    RequireChecksums = parse.GetValue(requireChecksums),
                    TrustedKeys = [.. (parse.GetValue(trustedKey) ?? []).Select(k => Path.Combine(context.Environment.WorkingDirectory, k))],
                    RequireSignature = parse.GetValue(requireSignature),
                    VerifyOnly = parse.GetValue(verifyOnly),
                    Limits = limits,
                });
            return result.AnythingSkipped ? 1 : 0;
        }));
        return command;
    }

    private static PulledBundle Pull(CliContext context, ParseResult parse, RegistryOptions registry, ImageReference reference, string directory)
    {
        using var client = registry.Client(context, parse, reference);
        var pulled = PulledBundle.Fetch(client, reference, directory);
        context.Progress.Info($"Pulled {pulled.Result.ImageName} from {reference} ({pulled.Result.ManifestDigest}).");
        return pulled;
    }
}
