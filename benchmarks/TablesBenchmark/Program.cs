using System.Diagnostics;
using System.Globalization;
using Npgsql;
using XcatImageBuild.Cli;
using XcatImageBuild.Tables;

// Times the definition verbs at cluster scale on both backends, in one process as a script's commands would run
// one after another: mkdef of 10,000 nodes, chdef of one attribute on all of them, lsdef -l of all, rmdef of all,
// and recipe apply of 1,000 images (twice: the second finds every row as it is). Goal: under 2 s each. xCAT took
// 489 s for chdef of 269 nodes on PostgreSQL (xcat2/xcat-core#5554).
//   dotnet run -c Release --project benchmarks/TablesBenchmark [-- NODES IMAGES]
// PostgreSQL is measured when XCATIMG_TEST_PG holds a cfgloc line for a server's administrator
// (eval "$(.ci/postgres start)").
var nodes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var images = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000;
var work = Directory.CreateTempSubdirectory("xcatimg-tables-bench-").FullName;
var recipe = Path.Combine(work, "images.csx");
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
    failed |= Measure("sqlite", Path.Combine(work, "sqlite"), null);
    if (Environment.GetEnvironmentVariable("XCATIMG_TEST_PG") is { Length: > 0 } line)
    {
        var admin = Cfgloc.Parse(line, "$XCATIMG_TEST_PG");
        var database = admin with { Database = "xcatimg_bench_" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) };
        Sql(admin, $"CREATE DATABASE \"{database.Database}\"");
        try
        {
            failed |= Measure("postgresql", Path.Combine(work, "pg"), database);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Sql(admin, $"DROP DATABASE \"{database.Database}\" WITH (FORCE)");
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

bool Measure(string backend, string site, Cfgloc? database)
{
    Directory.CreateDirectory(Path.Combine(site, "etc/xcat"));
    if (database is not null)
    {
        File.WriteAllText(Path.Combine(site, "etc/xcat/cfgloc"), database.Line + "\n");
    }

    var range = $"cn[1-{nodes}]";
    var steps = new (string Name, string[] Args)[]
    {
        ($"mkdef -t node {range}", ["mkdef", "-t", "node", range, "groups=compute,all", "usercomment=bench"]),
        ($"chdef -t node {range} groups=", ["chdef", "-t", "node", range, "groups=compute,gpu,all"]),
        ("lsdef -l -t node", ["lsdef", "-l", "-t", "node"]),
        ($"rmdef -t node {range}", ["rmdef", "-t", "node", range]),
        ($"recipe apply ({images} images)", ["recipe", "apply", recipe]),
        ($"recipe apply again", ["recipe", "apply", recipe]),
    };
    var environment = new CliEnvironment(new Dictionary<string, string>(), site);
    Run(["--site", site, "tabdump", "site"], environment);
    var ok = true;
    foreach (var (name, arguments) in steps)
    {
        var queries = XcatDatabase.AllQueries;
        var watch = Stopwatch.StartNew();
        var output = Run(["--site", site, .. arguments], environment);
        var elapsed = watch.Elapsed.TotalMilliseconds;
        ok &= elapsed < 2000;
        Console.WriteLine(FormattableString.Invariant(
            $"{backend,-10} {name,-40} {elapsed,8:F0} ms {XcatDatabase.AllQueries - queries,8} queries {(elapsed < 2000 ? "ok" : "over goal")} ({output} output lines)"));
    }

    return !ok;
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
