// xcatimg build of the Debian example recipe, end to end, each run in a fresh process on a scratch site: a cold build,
// an unchanged rebuild, and a rebuild after a postinstall-only edit. Prints each wall time and its ratio to the cold
// build (the goals: an unchanged rebuild of every example in at most 5 s; a postinstall edit in at most 25%).
// Needs root and the Debian mirror (mmdebstrap), as the build does.
//
//   sudo dotnet run -c Release --project benchmarks/BuildBenchmark -- [--recipe recipes/debian12-netboot-compute.csx] [--keep DIR]
using System.Diagnostics;

var repository = RepositoryRoot();
var recipeArgument = Option("--recipe") ?? "recipes/debian12-netboot-compute.csx";
var keep = Option("--keep");
var scratch = keep ?? Directory.CreateTempSubdirectory("xcatimg-build-bench-").FullName;
var recipes = Path.Combine(scratch, "recipes");
CopyTree(Path.Combine(repository, "recipes"), recipes);
var recipe = Path.Combine(recipes, Path.GetRelativePath(Path.Combine(repository, "recipes"), Path.GetFullPath(recipeArgument, repository)));
var site = Path.Combine(scratch, "site");
var bundles = Path.Combine(scratch, "bundles");
var cli = Path.Combine(AppContext.BaseDirectory, "xcatimg.dll");
try
{
    Console.WriteLine($"xcatimg build {Path.GetFileName(recipe)}: {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    var cold = Build("cold build");
    var unchanged = Build("unchanged rebuild");
    var common = Path.Combine(recipes, "common", "compute.csx");
    File.WriteAllText(common, File.ReadAllText(common).Replace("/etc/xcatimg-recipe", "/etc/xcatimg-recipe-edited", StringComparison.Ordinal));
    var edited = Build("postinstall edit");
    Console.WriteLine();
    Console.WriteLine("run                  wall s   of cold");
    foreach (var (name, seconds) in new[] { ("cold build", cold), ("unchanged rebuild", unchanged), ("postinstall edit", edited) })
    {
        Console.WriteLine(FormattableString.Invariant($"{name,-19} {seconds,7:F1}   {seconds / cold,6:P0}"));
    }
}
finally
{
    if (keep is null)
    {
        Process.Start("rm", ["-rf", "--one-file-system", scratch])!.WaitForExit();
    }
}

double Build(string name)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in new[] { cli, "--site", site, "build", recipe, "--bundles", bundles })
    {
        start.ArgumentList.Add(argument);
    }

    start.Environment["CI"] = "true";
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    process.WaitForExit();
    var seconds = clock.Elapsed.TotalSeconds;
    var outcomes = output.Result.Split('\n').Where(l => l.Contains(": ran", StringComparison.Ordinal) || l.Contains(": skipped", StringComparison.Ordinal));
    Console.WriteLine(FormattableString.Invariant($"{name}: {seconds:F1} s, exit {process.ExitCode}"));
    foreach (var line in outcomes)
    {
        Console.WriteLine("  " + line);
    }

    if (process.ExitCode != 0)
    {
        Console.Error.WriteLine(output.Result + error.Result);
        throw new InvalidOperationException($"{name} failed with exit code {process.ExitCode}.");
    }

    return seconds;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

static string RepositoryRoot()
{
    var directory = AppContext.BaseDirectory;
    while (!File.Exists(Path.Combine(directory, "XcatImageBuild.sln")))
    {
        directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("No XcatImageBuild.sln above the benchmark.");
    }

    return directory;
}

static void CopyTree(string from, string to)
{
    foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
    {
        var target = Path.Combine(to, Path.GetRelativePath(from, file));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(file, target, overwrite: true);
    }
}
