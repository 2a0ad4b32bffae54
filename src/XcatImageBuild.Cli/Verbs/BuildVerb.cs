using System.CommandLine;
using XcatImageBuild.Build;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>build RECIPE... [--bundles DIR] [--force] [--json]</c>: applies the recipes and builds every image's stages
/// (netboot: genimage, packimage, imgexport; statelite: genimage, liteimg, imgexport; install: imgexport), each only when its inputs or
/// outputs changed, printing one line per stage with its reason; <c>--boottest NODE</c> ends each diskless image with
/// nodeset and boottest of that node.
/// </summary>
public static class BuildVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recipes = RecipesArgument();
        var bundles = BundlesOption();
        var force = new Option<bool>("--force") { Description = "Run every stage, whatever its last run recorded." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line (stage, image, step, done, total, unit, outcome, reason) and nothing else on stdout." };
        var until = UntilOption();
        var bootTest = new Option<string?>("--boottest") { Description = "After a diskless image's stages, nodeset this node to it and boot it in qemu (boottest).", HelpName = "NODE" };
        var checkReproducible = new Option<bool>("--check-reproducible")
        {
            Description = "Build every image a second time from the same inputs in a scratch site and report each file whose bytes differ between the two bundles, with its likely cause.",
        };
        var sign = new Option<string?>("--sign")
        {
            Description = "Sign every bundle's SHA256SUMS with this minisign secret key, as imgexport --sign does.",
            HelpName = "KEYFILE",
        };
        var only = new Option<string[]>("--only")
        {
            Description = "Build only this step of this image (apply, genimage, packimage, liteimg or imgexport), still only when its inputs changed; repeat it for more (plan --tasks lists the steps).",
            HelpName = "IMAGE:STEP",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("build", "Apply recipes and build their images into bundles, running only the stages whose inputs changed.")
        {
            recipes, bundles, force, until, bootTest, only, sign, checkReproducible, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var steps = parse.GetValue(only);
            if (steps is { Length: > 0 } && parse.GetValue(bootTest) is not null)
            {
                throw new UsageException("build takes --only or --boottest, not both: the boot test follows every stage of an image.");
            }

            foreach (var step in steps ?? [])
            {
                var stage = step.LastIndexOf(':') is var colon and > 0 ? step[(colon + 1)..] : string.Empty;
                if (stage is not ("apply" or "genimage" or "packimage" or "liteimg" or "imgexport"))
                {
                    throw new UsageException($"--only {step}: give IMAGE:STEP, where STEP is apply, genimage, packimage, liteimg or imgexport.");
                }
            }

            IProgressSink progress = parse.GetValue(json) ? new JsonProgress(context.Output, context.Error) : context.Progress;
            if (parse.GetValue(checkReproducible) && parse.GetValue(until) is not null)
            {
                throw new XcatException("--check-reproducible compares the bundles of two builds; it cannot stop at --until.");
            }

            if (parse.GetValue(checkReproducible) && steps is { Length: > 0 })
            {
                throw new UsageException("build takes --only or --check-reproducible, not both: the check builds every step of every image twice.");
            }

            var files = ResolveRecipes(parse.GetValue(recipes)!, context);
            var signingKey = parse.GetValue(sign) is { } key ? Path.GetFullPath(key, context.Environment.WorkingDirectory) : null;
            if (signingKey is not null)
            {
                // A key that cannot sign is found before anything is built, not after genimage and packimage.
                _ = Signing.MinisignSecretKey.ReadFile(signingKey);
            }

            var site = context.OpenOrCreateSite(parse, progress);
            var settings = new BuildSettings
            {
                BundleDirectory = Path.GetFullPath(parse.GetValue(bundles) ?? ".", context.Environment.WorkingDirectory),
                Force = parse.GetValue(force),
                Until = parse.GetValue(until),
                SourceDateEpoch = context.SourceDateEpoch(),
                BootTestNode = parse.GetValue(bootTest),
                SigningKey = signingKey,
                Only = steps is { Length: > 0 } ? steps.ToHashSet(StringComparer.Ordinal) : null,
            };
            IProcessRunner RunnerFor(IProgressSink sink) => context.Runner(line => sink.Info("  " + line));
            if (parse.GetValue(checkReproducible))
            {
                return new ReproducibilityCheck(site, settings, progress, RunnerFor, context.RecipeCache()).Run(files);
            }

            return new BuildRunner(site, settings, progress, RunnerFor, context.RecipeCache()).Run(files);
        }));
        return command;
    }

    internal static Argument<string[]> RecipesArgument() => new("recipe")
    {
        Description = "Recipe files (.csx), directories of them, or globs such as 'recipes/*.csx'.",
        Arity = ArgumentArity.OneOrMore,
    };

    internal static Option<string?> UntilOption()
    {
        var option = new Option<string?>("--until") { Description = "Stop each image after this stage.", HelpName = "STAGE" };
        option.AcceptOnlyFromAmong("genimage", "packimage", "liteimg", "imgexport");
        return option;
    }

    internal static Option<string?> BundlesOption() => new("--bundles")
    {
        Description = "The directory bundles are written to (default: the current directory).",
        HelpName = "DIR",
    };

    /// <summary>The recipe files named, or every name that matches nothing as one error.</summary>
    internal static IReadOnlyList<string> ResolveRecipes(string[] names, CliContext context)
    {
        var (files, problems) = RecipeFiles.Resolve(names, context.Environment.WorkingDirectory);
        return problems.Count > 0 ? throw XcatException.FromMany(problems) : files;
    }
}
