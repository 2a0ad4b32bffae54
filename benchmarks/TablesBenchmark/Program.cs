using System.Diagnostics;
using System.Globalization;
using Npgsql;
using XcatImageBuild.Cli;
using XcatImageBuild.Progress;
using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

// Times the definition verbs at cluster scale on both backends, in one process as a script's commands would run
// one after another: mkdef of 10,000 nodes, chdef of one attribute on all of them, lsdef -l of all, rmdef of all,
// and recipe apply of 1,000 images. Goal: under 2 s each. xCAT took 489 s for chdef of 269 nodes on PostgreSQL
// (xcat2/xcat-core#5554).
//   dotnet run -c Release --project benchmarks/TablesBenchmark [-- NODES IMAGES]
// PostgreSQL is measured when XCATIMG_TEST_PG holds a cfgloc line for a server's administrator
// (eval "$(.ci/postgres start)").
//
// The recipe's evaluation is timed on its own first: Roslyn's compile of the recipe (cold cache), then a run of the
// cached assembly, which is what every later recipe apply costs. Each backend then runs recipe apply through the CLI
// (the compiled recipe cached, as on every run after the first), and once more on a fresh site step by step, as
// RecipeApplier does them: evaluate, plan, write the generated files, write the rows. The last is the table cost.
var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var images = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var work = Directory.CreateTempSubdirectory("xcatimg-tables-bench-").FullName;
var recipe = Path.Combine(work, "images.csx");
var cache = new RecipeCache(Path.Combine(work, "recipe-cache"));
File.WriteAllText(recipe, $$"""
    for (var i = 0; i < {{images}}; i++)
    {
        Image($"debian12-x86_64-netboot-p{i}")
            .Os("debian12", "x86_64")
            .Profile($"p{i}")
            .Netboot()
            .Repository("http://deb.debian.org/debian bookworm main")
            .Packages("systemd-sysv", "linux-image-amd64");
    }
    """);

Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()}, {Environment.ProcessorCount} cores");
Console.WriteLine($"{nodes} nodes, {images} images; goal under 2000 ms each");
var failed = false;
try
{
    Time("recipe", "recipe evaluate: Roslyn compile, cold cache", () => new RecipeEvaluator(cache).Evaluate(recipe).Images.Count, goal: false, unit: "images");
    Time("recipe", "recipe evaluate: cached assembly", () => new RecipeEvaluator(cache).Evaluate(recipe).Images.Count, goal: false, unit: "images");
    // Every step once at a small scale first, untimed, so that neither backend's numbers carry the JIT's first
    // compile of the verbs (a command run as its own process pays that on every start).
    WarmUp(Path.Combine(work, "warm-up"));
    failed |= Measure("sqlite", Path.Combine(work, "sqlite"), null, null);
    if (Environment.GetEnvironmentVariable("XCATIMG_TEST_PG") is { Length: > 0 } line)
    {
        var admin = Cfgloc.Parse(line, "$XCATIMG_TEST_PG");
        var stem = "xcatimg_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var database = admin with { Database = stem };
        var steps = admin with { Database = stem + "_steps" };
        Sql(admin, $"CREATE DATABASE \"{database.Database}\"");
        Sql(admin, $"CREATE DATABASE \"{steps.Database}\"");
        try
        {
            failed |= Measure("postgresql", Path.Combine(work, "pg"), database, steps);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Sql(admin, $"DROP DATABASE \"{database.Database}\" WITH (FORCE)");
            Sql(admin, $"DROP DATABASE \"{steps.Database}\" WITH (FORCE)");
        }
    }
    else
    {
        Console.WriteLine("postgresql: not measured (XCATIMG_TEST_PG is not set)");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

return failed ? 1 : 0;

bool Measure(string backend, string site, Cfgloc? database, Cfgloc? stepsDatabase)
{
    CreateSite(site, database);
    var range = $"cn[1-{nodes}]";
    var steps = new (string Name, string[] Args)[]
    {
        ($"mkdef -t node {range}", ["mkdef", "-t", "node", range, "groups=compute,all", "usercomment=bench"]),
        ($"chdef -t node {range} groups=", ["chdef", "-t", "node", range, "groups=compute,gpu,all"]),
        ("lsdef -l -t node", ["lsdef", "-l", "-t", "node"]),
        ($"rmdef -t node {range}", ["rmdef", "-t", "node", range]),
        ($"recipe apply ({images} images)", ["recipe", "apply", recipe]),
        ($"recipe apply again (unchanged)", ["recipe", "apply", recipe]),
    };
    var environment = new CliEnvironment(new Dictionary<string, string> { [RecipeCache.EnvironmentVariable] = cache.Directory }, site);
    Run(["--site", site, "tabdump", "site"], environment);
    var ok = true;
    foreach (var (name, arguments) in steps)
    {
        ok &= Time(backend, name, () => Run(["--site", site, .. arguments], environment), goal: true, unit: "output lines");
    }

    // The same first apply on a fresh site, step by step.
    var stepsSite = site + "-steps";
    CreateSite(stepsSite, stepsDatabase);
    var opened = XcatSite.Open(stepsSite);
    var applier = new RecipeApplier(opened, new NoProgress());
    RecipeEvaluation? evaluation = null;
    RecipePlan? plan = null;
    var total = Stopwatch.StartNew();
    Time(backend, "  step: evaluate (cached assembly)", () => (evaluation = new RecipeEvaluator(cache).Evaluate(recipe)).Images.Count, goal: false);
    Time(backend, "  step: plan", () => (plan = new RecipePlanner(opened.Root, opened.InstallDir, cache).Plan(evaluation!)).Images.Count, goal: false);
    Time(backend, "  step: write the generated files", () => applier.WriteFiles(plan!).Count, goal: false);
    ok &= Time(backend, "  step: write the rows (tables)", () => applier.WriteRows(plan!).Count, goal: true);
    Console.WriteLine(FormattableString.Invariant($"{backend,-10} {"  steps together",-42} {total.Elapsed.TotalMilliseconds,8:F0} ms"));
    return !ok;
}

void WarmUp(string site)
{
    CreateSite(site, null);
    var environment = new CliEnvironment(new Dictionary<string, string> { [RecipeCache.EnvironmentVariable] = cache.Directory }, site);
    foreach (var arguments in new[]
    {
        new[] { "mkdef", "-t", "node", "w[1-20]", "groups=compute,all" }, ["chdef", "-t", "node", "w[1-20]", "groups=compute"],
        ["lsdef", "-l", "-t", "node"], ["rmdef", "-t", "node", "w[1-20]"], ["recipe", "apply", recipe],
    })
    {
        Run(["--site", site, .. arguments], environment);
    }
}

static void CreateSite(string site, Cfgloc? database)
{
    Directory.CreateDirectory(Path.Combine(site, "etc/xcat"));
    if (database is not null)
    {
        File.WriteAllText(Path.Combine(site, "etc/xcat/cfgloc"), database.Line + "\n");
    }
}

// Prints one line: the time, the statements run against the tables, and whether it is within the goal.
static bool Time(string backend, string name, Func<int> step, bool goal, string unit = "items")
{
    var queries = XcatDatabase.AllQueries;
    var watch = Stopwatch.StartNew();
    var count = step();
    var elapsed = watch.Elapsed.TotalMilliseconds;
    var verdict = !goal ? string.Empty : elapsed < 2000 ? " ok" : " over goal";
    Console.WriteLine(FormattableString.Invariant(
        $"{backend,-10} {name,-42} {elapsed,8:F0} ms {XcatDatabase.AllQueries - queries,8} queries{verdict} ({count} {unit})"));
    return elapsed < 2000;
}

static int Run(string[] arguments, CliEnvironment environment)
{
    using var output = new StringWriter();
    using var error = new StringWriter();
    var code = XcatCli.Run(arguments, output, error, environment);
    if (code != 0)
    {
        throw new InvalidOperationException($"xcatimg {string.Join(' ', arguments)} failed: {error}");
    }

    return output.ToString().Count(c => c == '\n');
}

static void Sql(Cfgloc line, string sql)
{
    using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
    {
        Host = line.Host, Port = line.Port, Database = line.Database, Username = line.User, Password = line.Password, Pooling = false,
    }.ConnectionString);
    connection.Open();
    using var command = new NpgsqlCommand(sql, connection);
    command.ExecuteNonQuery();
}

/// <summary>The benchmark shows no progress.</summary>
internal sealed class NoProgress : IProgressSink
{
    public void Report(ProgressEvent progress)
    {
    }

    public void Info(string message)
    {
    }

    public void Warning(string message)
    {
    }
}
