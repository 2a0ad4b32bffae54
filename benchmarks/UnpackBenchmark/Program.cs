// Times what a node does at boot — unpack the root image into a tmpfs — with our dracut module's own unpack function
// (xcatimg_unpack from Genimage/Dracut/90xcatimg/xcatimg-lib.sh) against what stock xCAT nodes run,
// `gzip -cd | cpio -idum`, on packimage's rootimg.cpio.gz and rootimg.cpio.zst of the same tree.
//
//   dotnet run -c Release --project benchmarks/UnpackBenchmark [-- --root DIR] [--runs N]
//
// Needs root (it mounts a tmpfs). --root (or --tree) names the image root to pack and unpack. Without it the Debian minbase root of PackimageBenchmark is used
// (/var/tmp/xcatimg-benchmark/rootfs, built with mmdebstrap when missing).
using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

var tree = Argument("--root") ?? Argument("--tree") ?? "/var/tmp/xcatimg-benchmark/rootfs";
var runs = int.Parse(Argument("--runs") ?? "3", CultureInfo.InvariantCulture);
var runner = new ProcessRunner();
if (!Directory.Exists(tree))
{
    Console.WriteLine($"Building a Debian minbase root in {tree} with mmdebstrap...");
    Directory.CreateDirectory(Path.GetDirectoryName(tree)!);
    runner.Run(new ToolCommand("mmdebstrap", ["--variant=minbase", "--mode=root", "bookworm", tree]));
}

var library = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "xcatimg-lib.sh"));
var work = Directory.CreateTempSubdirectory("unpack-benchmark-").FullName;
var target = Path.Combine(work, "newroot");
Directory.CreateDirectory(target);
try
{
    const string name = "debian12-x86_64-netboot-compute";
    var site = XcatSite.OpenOrCreate(Path.Combine(work, "site"));
    site.Database.Write(s =>
    {
        s.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot", ["osvers"] = "debian12", ["osarch"] = "x86_64" });
        s.Set(XcatSchema.LinuxImage, [name], new Dictionary<string, string?>());
        return 0;
    });
    var directory = site.Map("/install/netboot/debian12/x86_64/compute");
    Directory.CreateDirectory(directory);
    runner.Run(new ToolCommand("cp", ["-a", tree, Path.Combine(directory, "rootimg")]));
    var packer = new ImagePacker(site, new CollectingProgress(), runner);
    // A pack removes the image's other rootimg.* archives, so the gzip one is moved aside before the zstd pack.
    var gz = Path.Combine(work, "rootimg.cpio.gz");
    File.Move(packer.Run(new PackimageOptions(name) { Method = "cpio", Compress = "gzip" }).ArchiveFile, gz);
    var zst = packer.Run(new PackimageOptions(name) { Method = "cpio", Compress = "zstd" }).ArchiveFile;
    var unpackedBytes = long.Parse(
        runner.Run(new ToolCommand("bash", ["-c", $"gzip -cd '{gz}' | wc -c"])).StandardOutput.Trim(), CultureInfo.InvariantCulture);

    // A node unpacks into a tmpfs; so does every case here, the same one, emptied before each run.
    runner.Run(new ToolCommand("mount", ["-t", "tmpfs", "-o", "mode=755", "benchmark", target]));
    try
    {
        var cases = new (string Name, string Script)[]
        {
            ("gzip -cd | cpio -idum (stock xCAT)", $"gzip -cd < '{gz}' | (cd '{target}' && cpio -idum --quiet)"),
            ("xcatimg_unpack rootimg.cpio.gz", $". '{library}'; xcatimg_unpack rootimg.cpio.gz '{target}' < '{gz}'"),
            ("xcatimg_unpack rootimg.cpio.zst", $". '{library}'; xcatimg_unpack rootimg.cpio.zst '{target}' < '{zst}'"),
        };
        var times = cases.Select(_ => new List<double>()).ToArray();
        var cpu = cases.Select(_ => new List<double>()).ToArray();
        // Interleaved runs, so a change in machine load affects every case alike; the median of each is reported.
        for (var run = 0; run < runs; run++)
        {
            for (var i = 0; i < cases.Length; i++)
            {
                runner.Run(new ToolCommand("find", [target, "-mindepth", "1", "-delete"]));
                var clock = Stopwatch.StartNew();
                var result = runner.Run(new ToolCommand("bash", ["-c", $"set -o pipefail; {cases[i].Script}; times"]));
                times[i].Add(clock.Elapsed.TotalSeconds);
                cpu[i].Add(result.StandardOutput.Trim().Split('\n')[^1].Split(' ').Sum(Seconds));
            }
        }

        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine(Invariant($"tree: {tree}, {unpackedBytes / 1e6:F1} MB as newc cpio; rootimg.cpio.gz {new FileInfo(gz).Length / 1e6:F1} MB, rootimg.cpio.zst {new FileInfo(zst).Length / 1e6:F1} MB"));
        Console.WriteLine(Invariant($"{Environment.ProcessorCount} cores; load average {load}; median of {runs} runs; into a tmpfs"));
        Console.WriteLine();
        Console.WriteLine($"{"command",-38} {"wall s",7} {"CPU s",7} {"wall vs stock",14} {"CPU vs stock",13}");
        var stockTime = Median(times[0]);
        var stockCpu = Median(cpu[0]);
        for (var i = 0; i < cases.Length; i++)
        {
            Console.WriteLine(Invariant(
                $"{cases[i].Name,-38} {Median(times[i]),7:F2} {Median(cpu[i]),7:F2} {Median(times[i]) / stockTime,13:F2}x {Median(cpu[i]) / stockCpu,12:F2}x"));
        }
    }
    finally
    {
        runner.Run(new ToolCommand("umount", [target]));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double Seconds(string value) => Benchmarking.BashSeconds(value);

static double Median(IEnumerable<double> values) => Benchmarking.Median(values);

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

string? Argument(string name) => Benchmarking.Argument(args, name);
