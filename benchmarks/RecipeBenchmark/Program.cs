using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Processes;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;

// Measures what `xcatimg recipe show` spends on a recipe: evaluation (compile or cache load, then run) plus planning
// and rendering, each in a fresh process as a user's command would be. Cold = empty cache (Roslyn compiles); warm =
// the compiled assembly is cached. Goals (issue 3): warm under 150 ms, cold under 2 s.
//   dotnet run -c Release --project benchmarks/RecipeBenchmark [-- RECIPE [RUNS]]
if (args.Length == 4 && args[0] == "--measure")
{
    return Measure(args[1], args[2], args[3]);
}

var recipe = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine(AppContext.BaseDirectory, "cluster.csx"));
var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var work = Directory.CreateTempSubdirectory("xcatimg-recipe-bench-").FullName;
try
{
    var runner = new ProcessRunner();
    var self = Path.Combine(AppContext.BaseDirectory, "RecipeBenchmark.dll");
    var site = Path.Combine(work, "site");
    (double Evaluate, double Show, bool Compiled, double Cpu) Child(string cache)
    {
        var result = runner.Run(new ToolCommand("dotnet", [self, "--measure", recipe, cache, site]));
        var parts = result.StandardOutput.Trim().Split(' ');
        return (
            double.Parse(parts[0], CultureInfo.InvariantCulture),
            double.Parse(parts[1], CultureInfo.InvariantCulture),
            parts[2] == "compiled",
            double.Parse(parts[3], CultureInfo.InvariantCulture));
    }

    var cold = Enumerable.Range(0, runs).Select(i => Child(Path.Combine(work, $"cold{i}"))).ToList();
    var warmCache = Path.Combine(work, "warm");
    Child(warmCache);
    var warm = Enumerable.Range(0, runs).Select(_ => Child(warmCache)).ToList();
    if (cold.Any(c => !c.Compiled) || warm.Any(w => w.Compiled))
    {
        throw new InvalidOperationException("A cold run found a cached recipe or a warm run compiled.");
    }

    var xcatimg = Path.Combine(AppContext.BaseDirectory, "xcatimg.dll");
    var command = new ToolCommand("dotnet", [xcatimg, "--site", site, "recipe", "show", recipe])
    {
        Environment = new Dictionary<string, string?> { [RecipeCache.EnvironmentVariable] = warmCache },
    };
    var wall = Enumerable.Range(0, runs).Select(_ =>
    {
        var watch = Stopwatch.StartNew();
        runner.Run(command);
        return watch.Elapsed.TotalMilliseconds;
    }).ToList();

    var lines = File.ReadAllLines(recipe).Length;
    // Wall times depend on what else the machine runs; the load average is printed so numbers can be judged.
    Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}, {Environment.ProcessorCount} cores");
    Console.WriteLine(FormattableString.Invariant($"recipe: {recipe} ({lines} lines), {runs} runs each, median [min-max] in ms"));
    Report("cold: evaluate (compile + run)", cold.Select(c => c.Evaluate), 2000);
    Report("cold: evaluate + plan + render", cold.Select(c => c.Show), 2000);
    Report("cold: CPU time of evaluate + plan + render", cold.Select(c => c.Cpu), 2000);
    Report("warm: evaluate (cached + run)", warm.Select(w => w.Evaluate), 150);
    Report("warm: evaluate + plan + render", warm.Select(w => w.Show), 150);
    Report("warm: CPU time of evaluate + plan + render", warm.Select(w => w.Cpu), 150);
    Report("warm: whole `xcatimg recipe show` process", wall, double.NaN);
    Console.WriteLine(FormattableString.Invariant($"cache speed-up (cold/warm, evaluate + plan + render): {Median(cold.Select(c => c.Show)) / Median(warm.Select(w => w.Show)):F1}x"));
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

static int Measure(string recipe, string cache, string site)
{
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    var recipeCache = new RecipeCache(cache);
    var evaluation = new RecipeEvaluator(recipeCache).Evaluate(recipe);
    var evaluate = watch.Elapsed.TotalMilliseconds;
    var root = new SiteRoot(site);
    var plan = new RecipePlanner(root, "/install", recipeCache).Plan(evaluation);
    var text = RecipeReport.Text(plan, root, null);
    var show = watch.Elapsed.TotalMilliseconds;
    process.Refresh();
    var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
    if (plan.Problems.Count > 0 || text.Length == 0)
    {
        Console.Error.WriteLine(string.Join('\n', plan.Problems.Select(p => p.Describe(evaluation.RecipeDirectory))));
        return 1;
    }

    Console.WriteLine(FormattableString.Invariant($"{evaluate:F1} {show:F1} {(evaluation.Compiled ? "compiled" : "cached")} {cpu:F1}"));
    return 0;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static void Report(string what, IEnumerable<double> values, double goal)
{
    var list = values.ToList();
    var verdict = double.IsNaN(goal) ? string.Empty : FormattableString.Invariant($"  goal {goal:F0} ms: {Median(list) / goal:F2} of goal");
    Console.WriteLine(FormattableString.Invariant($"{what,-46} {Median(list),8:F1} [{list.Min():F1}-{list.Max():F1}]{verdict}"));
}
