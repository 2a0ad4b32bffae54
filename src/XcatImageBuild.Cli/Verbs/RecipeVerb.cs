using System.CommandLine;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>recipe show FILE [--json]</c>: what a recipe defines and the files it would write, touching nothing.
/// <c>recipe apply FILE</c>: writes its osimage and linuximage rows and generates its list files.
/// </summary>
public static class RecipeVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = new Command("recipe", "Evaluate C# image recipes (.csx): show what they define, or apply them to the site.");
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(Apply(context));
        return command;
    }

    private static Command Show(CliContext context)
    {
        var file = RecipeArgument();
        var json = new Option<bool>("--json") { Description = "Print the definitions, rows and file contents as JSON." };
        var command = new Command("show", "Print the images a recipe defines, their rows and the files apply would write; writes nothing.") { file, json };
        command.SetAction(parse => context.Execute(() =>
        {
            var (root, installDir, database) = ReadOnlySite(context, parse);
            var plan = new RecipePlanner(root, installDir, context.RecipeCache()).Plan(Evaluate(context, parse.GetValue(file)!));
            context.Output.Write(parse.GetValue(json) ? RecipeReport.Json(plan, root, database) : RecipeReport.Text(plan, root, database));
            foreach (var warning in plan.Warnings)
            {
                context.Progress.Warning(warning.Describe(plan.Evaluation.RecipeDirectory));
            }

            plan.ThrowIfInvalid();
            return 0;
        }));
        return command;
    }

    private static Command Apply(CliContext context)
    {
        var file = RecipeArgument();
        var command = new Command("apply", "Write the osimage and linuximage rows of every image in a recipe and generate its list files.") { file };
        command.SetAction(parse => context.Execute(() =>
        {
            var site = context.OpenOrCreateSite(parse);
            var plan = new RecipePlanner(site.Root, site.InstallDir, context.RecipeCache()).Plan(Evaluate(context, parse.GetValue(file)!));
            var result = new RecipeApplier(site, context.Progress).Apply(plan);
            foreach (var (path, change) in result.Files)
            {
                context.Output.WriteLine($"{path}: {change.ToString().ToLowerInvariant()}");
            }

            foreach (var (name, change) in result.Images)
            {
                context.Output.WriteLine($"osimage {name}: {change.ToString().ToLowerInvariant()}");
            }

            return 0;
        }));
        return command;
    }

    private static Argument<string> RecipeArgument() => new("file") { Description = "The recipe (.csx)." };

    private static RecipeEvaluation Evaluate(CliContext context, string file) => new RecipeEvaluator(context.RecipeCache()).Evaluate(Path.GetFullPath(file, context.Environment.WorkingDirectory));

    /// <summary>The site to compare against without creating it: its tables only when it already has them.</summary>
    private static (SiteRoot Root, string InstallDir, XcatDatabase? Database) ReadOnlySite(CliContext context, ParseResult parse)
    {
        var directory = context.SiteDirectory(parse);
        if (XcatSite.Exists(directory))
        {
            var site = context.OpenSite(parse);
            return (site.Root, site.InstallDir, site.Database);
        }

        return (new SiteRoot(directory), "/install", null);
    }
}
