using System.CommandLine;
using XcatImageBuild.Build;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>plan RECIPE... [--bundles DIR] [--force] [--json]</c>: what <c>build</c> would do, stage by stage, with the same
/// reasons; writes nothing.
/// </summary>
public static class PlanVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var recipes = BuildVerb.RecipesArgument();
        var bundles = BuildVerb.BundlesOption();
        var force = new Option<bool>("--force") { Description = "Plan as build --force would: every stage runs." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object per line (stage, image, outcome, reason)." };
        var tasks = new Option<bool>("--tasks")
        {
            Description = "Print every step build would take as one tab-separated line: stage, image, outcome (runs, skips, blocked), recipe file, reason. A site that does not exist yet is planned as empty.",
        };
        var until = BuildVerb.UntilOption();
        var sign = new Option<string?>("--sign")
        {
            Description = "Plan as build --sign KEYFILE would: a bundle signed with another key, or none, is exported again.",
            HelpName = "KEYFILE",
        };
        var command = new Command("plan", "Print what build would do for the recipes, stage by stage, and why; writes nothing.")
        {
            recipes, bundles, force, until, sign, json, tasks,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            if (parse.GetValue(json) && parse.GetValue(tasks))
            {
                throw new UsageException("plan takes --json or --tasks, not both.");
            }

            IProgressSink progress = parse.GetValue(json) ? new JsonProgress(context.Output, context.Error) : context.Progress;
            var site = parse.GetValue(tasks) ? null : context.OpenSite(parse);
            var files = BuildVerb.ResolveRecipes(parse.GetValue(recipes)!, context);
            var settings = new BuildSettings
            {
                BundleDirectory = Path.GetFullPath(parse.GetValue(bundles) ?? ".", context.Environment.WorkingDirectory),
                Force = parse.GetValue(force),
                Until = parse.GetValue(until),
                SourceDateEpoch = context.SourceDateEpoch(),
                SigningKey = parse.GetValue(sign) is { } key ? Path.GetFullPath(key, context.Environment.WorkingDirectory) : null,
            };
            using var repositories = new RepositoryProbe();
            if (site is null)
            {
                return PrintTasks(context, parse, files, settings, repositories);
            }

            var plan = new BuildPlanner(site.Root, site.Database, site.InstallDir, context.RecipeCache(), repositories, context.Runner()).Plan(files);
            foreach (var problem in plan.Problems)
            {
                progress.Report(ProgressEvent.StageOutcome("recipe", string.Empty, "blocked", problem));
            }

            foreach (var image in plan.Images)
            {
                if (image.Problems.Count > 0)
                {
                    progress.Report(ProgressEvent.StageOutcome("build", image.Name, "blocked", string.Join("; ", image.Problems)));
                    continue;
                }

                foreach (var decision in BuildPlanner.DecideAll(image, settings))
                {
                    progress.Report(ProgressEvent.StageOutcome(decision.Stage, decision.Image, decision.Runs ? "runs" : "skips", decision.Reason));
                }
            }

            return plan.HasProblems ? 1 : 0;
        }));
        return command;
    }

    // The steps as lines on stdout and nothing else there; a site that is not there yet plans as one with nothing in it
    // (build creates it). Exits 0 when the listing is complete, blocked steps included: they are steps of the listing.
    private static int PrintTasks(CliContext context, ParseResult parse, IReadOnlyList<string> files, BuildSettings settings, RepositoryProbe repositories)
    {
        var directory = context.SiteDirectory(parse);
        var site = XcatSite.Exists(directory) ? context.OpenSite(parse) : null;
        var root = site?.Root ?? new SiteRoot(directory);
        var plan = new BuildPlanner(root, site?.Database, site?.InstallDir ?? "/install", context.RecipeCache(), repositories, context.Runner()).Plan(files);
        foreach (var step in BuildStep.Of(plan, root, site?.Database, settings))
        {
            context.Output.WriteLine(step.Line);
        }

        return 0;
    }
}
