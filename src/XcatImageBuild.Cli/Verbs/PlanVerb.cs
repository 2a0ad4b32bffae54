using System.CommandLine;
using XcatImageBuild.Build;
using XcatImageBuild.Progress;

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
        var until = BuildVerb.UntilOption();
        var command = new Command("plan", "Print what build would do for the recipes, stage by stage, and why; writes nothing.")
        {
            recipes, bundles, force, until, json,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            IProgressSink progress = parse.GetValue(json) ? new JsonProgress(context.Output, context.Error) : context.Progress;
            var site = context.OpenSite(parse);
            var files = BuildVerb.ResolveRecipes(parse.GetValue(recipes)!, context);
            var settings = new BuildSettings
            {
                BundleDirectory = Path.GetFullPath(parse.GetValue(bundles) ?? ".", context.Environment.WorkingDirectory),
                Force = parse.GetValue(force),
                Until = parse.GetValue(until),
                SourceDateEpoch = context.SourceDateEpoch(),
            };
            using var repositories = new RepositoryProbe();
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
}
