// Times packimage against `find . | cpio -H newc -o | pigz -6` (and gzip -6) on the same tree — a Debian minbase root
// made with mmdebstrap — and prints throughput ratios, output sizes and packimage's peak memory.
//
//   dotnet run -c Release --project benchmarks/PackimageBenchmark [-- --root DIR] [--runs N] [--levels] [--double] [--quick] [--profile]
//
// --root (or --tree) names the image root to pack, such as the rootimg genimage made of a recipe. Without it the root
// is built once with `mmdebstrap --variant=minbase bookworm` (needs root and the Debian mirror) and cached under /var/tmp/xcatimg-benchmark/rootfs. --levels times every gzip level; --double packs a tree
// twice as large (the root and a second copy of it inside), to show that memory does not grow with the tree. --quick
// times only pigz -6 and packimage's default gzip (--levels still adds the levels); --profile prints instead where
// packimage's gzip spends its CPU, stage by stage on one thread.
using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

var tree = Argument("--root") ?? Argument("--tree") ?? "/var/tmp/xcatimg-benchmark/rootfs";
var runs = int.Parse(Argument("--runs") ?? "3", CultureInfo.InvariantCulture);
var allLevels = args.Contains("--levels");
var doubled = args.Contains("--double");
var quick = args.Contains("--quick");
var runner = new ProcessRunner();
if (!Directory.Exists(tree))
{
    Console.WriteLine($"Building a Debian minbase root in {tree} with mmdebstrap...");
    Directory.CreateDirectory(Path.GetDirectoryName(tree)!);
    runner.Run(new ToolCommand("mmdebstrap", ["--variant=minbase", "--mode=root", "bookworm", tree]));
}

if (args.Contains("--profile"))
{
    PackimageBenchmark.Profile.Run(tree, allLevels ? [.. Enumerable.Range(1, 9)] : [4, ParallelGzipStream.DefaultLevel, 6], ParallelGzipStream.DefaultBlockSize);
    return;
}

// The site holds a copy of the tree as the image's rootimg; packimage's own changes (xcatpost, xcatinfo, shadow) are made
// once by a warm-up pack, so every timed run, ours and the reference, archives the same tree.
var siteDirectory = Directory.CreateTempSubdirectory("packimage-benchmark-").FullName;
try
{
    const string name = "debian12-x86_64-netboot-compute";
    var site = XcatSite.OpenOrCreate(siteDirectory);
    site.Database.Write(s =>
    {
        s.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot", ["osvers"] = "debian12", ["osarch"] = "x86_64" });
        s.Set(XcatSchema.LinuxImage, [name], new Dictionary<string, string?>());
        return 0;
    });
    var directory = site.Map("/install/netboot/debian12/x86_64/compute");
    var rootimg = Path.Combine(directory, "rootimg");
    Directory.CreateDirectory(directory);
    runner.Run(new ToolCommand("cp", ["-a", tree, rootimg]));
    if (doubled)
    {
        runner.Run(new ToolCommand("cp", ["-a", tree, Path.Combine(rootimg, "opt", "copy")]));
    }

    var packer = new ImagePacker(site, new CollectingProgress(), runner);
    packer.Run(new PackimageOptions(name));
    var cpioBytes = long.Parse(
        runner.Run(new ToolCommand("bash", ["-c", "find . | cpio -H newc -o --quiet | wc -c"]) { WorkingDirectory = rootimg }).StandardOutput.Trim(),
        CultureInfo.InvariantCulture);

    var cases = new List<(string Name, Func<(string File, double CpuSeconds)> Run)>
    {
        ("find | cpio -H newc -o | pigz -6", () => Reference(runner, rootimg, directory, "pigz -6")),
        ("packimage -m cpio -c gzip", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip" })),
    };
    if (!quick)
    {
        cases.Add(("find | cpio -H newc -o | gzip -6", () => Reference(runner, rootimg, directory, "gzip -6")));
    }

    foreach (var level in allLevels ? Enumerable.Range(1, 9) : [])
    {
        cases.Add(($"packimage -m cpio -c gzip --level {level}", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip", Level = level })));
    }

    if (!quick)
    {
        cases.Add(("packimage -m cpio -c gzip --best", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip", Best = true })));
        cases.Add(("packimage -m cpio -c zstd", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "zstd" })));
    }

    var times = cases.Select(_ => new List<double>()).ToArray();
    var cpu = cases.Select(_ => new List<double>()).ToArray();
    var sizes = new long[cases.Count];
    var peak = new long[cases.Count];
    // Interleaved runs, so a change in machine load affects every case alike; the median of each is reported.
    for (var run = 0; run < runs; run++)
    {
        for (var i = 0; i < cases.Count; i++)
        {
            ResetPeakMemory();
            var clock = Stopwatch.StartNew();
            var (output, cpuSeconds) = cases[i].Run();
            times[i].Add(clock.Elapsed.TotalSeconds);
            cpu[i].Add(cpuSeconds);
            sizes[i] = new FileInfo(output).Length;
            peak[i] = Math.Max(peak[i], PeakMemory());
        }
    }

    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    Console.WriteLine(Invariant($"tree: {tree}{(doubled ? " twice" : "")}, {cpioBytes / 1e6:F1} MB as newc cpio; {Environment.ProcessorCount} cores; load average {load}; median of {runs} runs"));
    Console.WriteLine();
    // Wall time depends on how much of the machine the other processes leave; CPU time (user + system, all threads and
    // child processes) is the work each command needs, so both are printed with their ratio to pigz.
    // The peak is the benchmark process's resident memory while the case ran (packimage runs inside it; for the shell
    // pipelines it is only this process idling).
    Console.WriteLine($"{"command",-38} {"wall s",7} {"MB/s",6} {"CPU s",7} {"output MB",10} {"wall vs pigz",13} {"CPU vs pigz",12} {"size vs pigz",13} {"peak MB",8}");
    var pigzTime = Median(times[0]);
    var pigzCpu = Median(cpu[0]);
    for (var i = 0; i < cases.Count; i++)
    {
        var median = Median(times[i]);
        var work = Median(cpu[i]);
        Console.WriteLine(Invariant(
            $"{cases[i].Name,-38} {median,7:F2} {cpioBytes / 1e6 / median,6:F0} {work,7:F2} {sizes[i] / 1e6,10:F1} {pigzTime / median,12:F2}x {pigzCpu / work,11:F2}x {(double)sizes[i] / sizes[0],12:F3}x {peak[i] / 1e6,8:F0}"));
    }

    Console.WriteLine();
    Console.WriteLine(ParallelGzipStream.UsesLibdeflate ? "gzip: libdeflate" : "gzip: zlib (libdeflate0 is not installed)");
    Console.WriteLine(Invariant(
        $"packimage's default gzip: {(double)sizes[1] / sizes[0]:F3}x pigz -6's size, {pigzTime / Median(times[1]):F2}x its speed (wall), {pigzCpu / Median(cpu[1]):F2}x (CPU), peak memory {peak[1] / 1e6:F0} MB"));
}
finally
{
    Directory.Delete(siteDirectory, recursive: true);
}

// bash's `times` prints the CPU time of the shell and then of its children (the pipeline).
static (string, double) Reference(ProcessRunner runner, string rootimg, string directory, string compressor)
{
    var output = Path.Combine(directory, "reference.cpio.gz");
    var result = runner.Run(new ToolCommand("bash", ["-c", $"set -o pipefail; find . | cpio -H newc -o --quiet | {compressor} > '{output}'; times"]) { WorkingDirectory = rootimg });
    var children = result.StandardOutput.Trim().Split('\n')[^1].Split(' ');
    return (output, children.Sum(Seconds));
}

static (string, double) Pack(ImagePacker packer, PackimageOptions options)
{
    var before = CpuSeconds();
    var file = packer.Run(options).ArchiveFile;
    return (file, CpuSeconds() - before);
}

// This process's user and system time plus that of the tools it ran and waited for (zstd, xz), from /proc/self/stat
// (utime, stime, cutime, cstime in clock ticks of 1/100 s).
static double CpuSeconds()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return fields[11..15].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / 100.0;
}

// Writing 5 to clear_refs resets the process's peak resident set size (VmHWM), so each case's own peak can be read.
static void ResetPeakMemory()
{
    GC.Collect();
    File.WriteAllText("/proc/self/clear_refs", "5");
}

static long PeakMemory()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static double Seconds(string value) => Benchmarking.BashSeconds(value);

static double Median(IEnumerable<double> values) => Benchmarking.Median(values);

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

string? Argument(string name) => Benchmarking.Argument(args, name);
