// Times packimage against `find . | cpio -H newc -o | pigz -6` (and gzip -6) on the same tree — a Debian minbase root
// made with mmdebstrap — and prints throughput ratios and output sizes.
//
//   dotnet run -c Release --project benchmarks/PackimageBenchmark [-- --tree DIR] [--runs N]
//
// Without --tree the root is built once with `mmdebstrap --variant=minbase bookworm` (needs root and the Debian
// mirror) and cached under /var/tmp/xcatimg-benchmark/rootfs.
using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

var tree = Argument("--tree") ?? "/var/tmp/xcatimg-benchmark/rootfs";
var runs = int.Parse(Argument("--runs") ?? "3", CultureInfo.InvariantCulture);
var runner = new ProcessRunner();
if (!Directory.Exists(tree))
{
    Console.WriteLine($"Building a Debian minbase root in {tree} with mmdebstrap...");
    Directory.CreateDirectory(Path.GetDirectoryName(tree)!);
    runner.Run(new ToolCommand("mmdebstrap", ["--variant=minbase", "--mode=root", "bookworm", tree]));
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
    var packer = new ImagePacker(site, new CollectingProgress(), runner);
    packer.Run(new PackimageOptions(name));
    var cpioBytes = long.Parse(
        runner.Run(new ToolCommand("bash", ["-c", "find . | cpio -H newc -o --quiet | wc -c"]) { WorkingDirectory = rootimg }).StandardOutput.Trim(),
        CultureInfo.InvariantCulture);

    var cases = new (string Name, Func<(string File, double CpuSeconds)> Run)[]
    {
        ("find | cpio -H newc -o | pigz -6", () => Reference(runner, rootimg, directory, "pigz -6")),
        ("find | cpio -H newc -o | gzip -6", () => Reference(runner, rootimg, directory, "gzip -6")),
        ("packimage -m cpio -c gzip", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip" })),
        ("packimage -m cpio -c gzip --level 4", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip", Level = 4 })),
        ("packimage -m cpio -c gzip --best", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "gzip", Best = true })),
        ("packimage -m cpio -c zstd", () => Pack(packer, new PackimageOptions(name) { Method = "cpio", Compress = "zstd" })),
    };
    var times = cases.Select(_ => new List<double>()).ToArray();
    var cpu = cases.Select(_ => new List<double>()).ToArray();
    var sizes = new long[cases.Length];
    // Interleaved runs, so a change in machine load affects every case alike; the median of each is reported.
    for (var run = 0; run < runs; run++)
    {
        for (var i = 0; i < cases.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            var (output, cpuSeconds) = cases[i].Run();
            times[i].Add(clock.Elapsed.TotalSeconds);
            cpu[i].Add(cpuSeconds);
            sizes[i] = new FileInfo(output).Length;
        }
    }

    var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    Console.WriteLine(Invariant($"tree: {tree}, {cpioBytes / 1e6:F1} MB as newc cpio; {Environment.ProcessorCount} cores; load average {load}; median of {runs} runs"));
    Console.WriteLine();
    // Wall time depends on how much of the machine the other processes leave; CPU time (user + system, all threads and
    // child processes) is the work each command needs, so both are printed with their ratio to pigz.
    Console.WriteLine($"{"command",-38} {"wall s",7} {"MB/s",6} {"CPU s",7} {"output MB",10} {"wall vs pigz",13} {"CPU vs pigz",12} {"size vs pigz",13}");
    var pigzTime = Median(times[0]);
    var pigzCpu = Median(cpu[0]);
    for (var i = 0; i < cases.Length; i++)
    {
        var median = Median(times[i]);
        var work = Median(cpu[i]);
        Console.WriteLine(Invariant(
            $"{cases[i].Name,-38} {median,7:F2} {cpioBytes / 1e6 / median,6:F0} {work,7:F2} {sizes[i] / 1e6,10:F1} {pigzTime / median,12:F2}x {pigzCpu / work,11:F2}x {(double)sizes[i] / sizes[0],12:F3}x"));
    }
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

// "1m2.345s" as bash's times prints it.
static double Seconds(string value)
{
    var minutes = value.IndexOf('m', StringComparison.Ordinal);
    return (int.Parse(value[..minutes], CultureInfo.InvariantCulture) * 60) + double.Parse(value[(minutes + 1)..^1], CultureInfo.InvariantCulture);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

string? Argument(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
