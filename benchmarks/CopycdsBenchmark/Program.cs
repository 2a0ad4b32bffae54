// Builds an ISO image of random files (a media's .discinfo and .treeinfo, then package-sized files) in a scratch
// directory, then times `xcatimg copycds` of it against `xorriso -osirrox on -indev ISO -extract / DIR`, the standard
// tool's copy of the same ISO into a fresh directory, times copycds again over the unchanged copy, and once more after
// three files of the copy were deleted (a copy interrupted near its end, files removed by hand).
// Usage: CopycdsBenchmark [ISO MiB] (default 1536). Everything is deleted afterwards.
using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Media;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Testing;

const int Runs = 2;

var mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1536;
var scratch = Directory.CreateTempSubdirectory("xcatimg-copycds-bench-").FullName;
var runner = new ProcessRunner();
try
{
    Console.WriteLine($"Building a {mebibytes} MiB ISO image of random files...");
    var iso = BuildIso(scratch, mebibytes, runner);
    Console.WriteLine(FormattableString.Invariant($"ISO image: {new FileInfo(iso).Length / 1048576.0:F0} MiB"));

    // Read once so both copies start from the same page cache; each is then the best of its runs.
    using (var read = File.OpenRead(iso))
    {
        read.CopyTo(Stream.Null);
    }

    var xorriso = double.MaxValue;
    var ours = double.MaxValue;
    var rerun = double.MaxValue;
    var repair = double.MaxValue;
    for (var run = 0; run < Runs; run++)
    {
        var extracted = Path.Combine(scratch, "xorriso");
        var watch = Stopwatch.StartNew();
        runner.Run(new ToolCommand("xorriso", ["-osirrox", "on", "-indev", iso, "-extract", "/", extracted]));
        Sync(runner);
        xorriso = Math.Min(xorriso, watch.Elapsed.TotalSeconds);
        RemoveTree(extracted, runner);

        var siteDirectory = Path.Combine(scratch, "site");
        var site = XcatSite.OpenOrCreate(siteDirectory);
        watch.Restart();
        new CopycdsStage(site, runner, new CollectingProgress()).Run([iso], new CopycdsOptions { NoOsImage = true });
        Sync(runner);
        ours = Math.Min(ours, watch.Elapsed.TotalSeconds);

        watch.Restart();
        new CopycdsStage(site, runner, new CollectingProgress()).Run([iso], new CopycdsOptions { NoOsImage = true });
        rerun = Math.Min(rerun, watch.Elapsed.TotalSeconds);

        foreach (var package in Directory.GetFiles(Path.Combine(siteDirectory, "install", "rocky9.3", "x86_64", "BaseOS", "Packages")).Order(StringComparer.Ordinal).Take(3))
        {
            File.Delete(package);
        }

        watch.Restart();
        new CopycdsStage(site, runner, new CollectingProgress()).Run([iso], new CopycdsOptions { NoOsImage = true });
        Sync(runner);
        repair = Math.Min(repair, watch.Elapsed.TotalSeconds);
        RemoveTree(siteDirectory, runner);
    }

    Console.WriteLine(FormattableString.Invariant($"xorriso -osirrox on -extract / : {xorriso:F2} s (best of {Runs}, with sync)"));
    Console.WriteLine(FormattableString.Invariant($"xcatimg copycds                : {ours:F2} s (best of {Runs}, with sync)"));
    Console.WriteLine(FormattableString.Invariant($"ratio copycds/xorriso          : {ours / xorriso:F2} (goal <= 1.10)"));
    Console.WriteLine(FormattableString.Invariant($"copycds again, nothing changed : {rerun:F2} s"));
    Console.WriteLine(FormattableString.Invariant($"copycds again, 3 files deleted : {repair:F2} s"));
}
finally
{
    RemoveTree(scratch, runner);
}

static string BuildIso(string scratch, int mebibytes, ProcessRunner runner)
{
    var tree = Path.Combine(scratch, "media");
    Directory.CreateDirectory(Path.Combine(tree, "BaseOS", "Packages"));
    File.WriteAllText(Path.Combine(tree, ".discinfo"), "1699964843.394738\n9.3\nx86_64\nALL\n");
    File.WriteAllText(Path.Combine(tree, ".treeinfo"), "[release]\nname = Rocky Linux\nversion = 9.3\n[tree]\narch = x86_64\n");
    // Package-sized files: many small ones and a few large ones, as on a distribution DVD.
    var random = new Random(20261201);
    var buffer = new byte[1 << 20];
    long written = 0;
    var total = (long)mebibytes << 20;
    for (var i = 0; written < total; i++)
    {
        var size = Math.Min(total - written, i % 50 == 0 ? 64L << 20 : random.NextInt64(4 << 10, 3 << 20));
        using var file = File.Create(Path.Combine(tree, "BaseOS", "Packages", FormattableString.Invariant($"package-{i:D5}-1.0-1.x86_64.rpm")));
        for (var left = size; left > 0; left -= buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer, 0, (int)Math.Min(left, buffer.Length));
        }

        written += size;
    }

    var iso = MediaFixture.BuildIso(tree, Path.Combine(scratch, "media.iso"));
    RemoveTree(tree, runner);
    return iso;
}

// The copies are timed until their data is on disk, not only in the page cache.
static void Sync(ProcessRunner runner) => runner.Run(new ToolCommand("sync", []));

static void RemoveTree(string path, ProcessRunner runner)
{
    if (Directory.Exists(path))
    {
        // The copies keep the media's read-only directories.
        runner.Run(new ToolCommand("chmod", ["-R", "u+w", path]));
        runner.Run(new ToolCommand("rm", ["-rf", "--one-file-system", path]));
    }
}
