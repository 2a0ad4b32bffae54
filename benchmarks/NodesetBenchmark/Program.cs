// nodeset on 1,000 xnba nodes of one netboot image, in a temporary site: prints the wall time of each run, the time
// per node, and the ratio to xCAT's about 0.29 s per node (xcat-spec §10; the figure for xCAT 2.18).
//
//   dotnet run -c Release --project benchmarks/NodesetBenchmark -- [--nodes N] [--runs N]
using System.Diagnostics;
using System.Globalization;
using XcatImageBuild.Nodeset;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

const double XcatSecondsPerNode = 0.29;
const string Image = "rhels9.4-x86_64-netboot-compute";
var nodeCount = Option("--nodes", 1000);
var runs = Option("--runs", 3);
var directory = Directory.CreateTempSubdirectory("xcatimg-nodeset-bench-").FullName;
try
{
    var site = XcatSite.OpenOrCreate(directory);
    var imageDirectory = site.Map("/install/netboot/rhels9.4/x86_64/compute");
    Directory.CreateDirectory(imageDirectory);
    File.WriteAllBytes(Path.Combine(imageDirectory, "kernel"), new byte[8 << 20]);
    File.WriteAllBytes(Path.Combine(imageDirectory, "initrd-stateless.gz"), new byte[32 << 20]);
    File.WriteAllText(Path.Combine(imageDirectory, "rootimg.cpio.gz"), "packed");
    var width = nodeCount.ToString(CultureInfo.InvariantCulture).Length;
    site.Database.Write(session =>
    {
        session.Set(XcatSchema.OsImage, [Image], new Dictionary<string, string?>
        {
            ["imagetype"] = "linux", ["provmethod"] = "netboot", ["osvers"] = "rhels9.4", ["osarch"] = "x86_64", ["profile"] = "compute",
        });
        session.Set(XcatSchema.LinuxImage, [Image], new Dictionary<string, string?> { ["addkcmdline"] = "rd.shell=0 nomodeset" });
        session.Set(XcatSchema.NodeRes, ["compute"], new Dictionary<string, string?> { ["netboot"] = "xnba", ["xcatmaster"] = "10.0.0.1" });
        for (var i = 1; i <= nodeCount; i++)
        {
            var node = "cn" + i.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');
            session.Set(XcatSchema.NodeList, [node], new Dictionary<string, string?> { ["groups"] = "compute,all" });
            session.Set(XcatSchema.Mac, [node], new Dictionary<string, string?> { ["mac"] = $"52:54:00:00:{i / 256:x2}:{i % 256:x2}" });
        }

        return 0;
    });

    Console.WriteLine($"nodeset compute osimage={Image}: {nodeCount} xnba nodes, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("run   wall s   CPU s   ms per node   xCAT s per node   xCAT / ours");
    var times = new List<double>();
    for (var run = 1; run <= runs; run++)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = new NodesetStage(site, new QuietProgress()).Run("compute", $"osimage={Image}");
        var seconds = clock.Elapsed.TotalSeconds;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (result.Lines.Count != nodeCount)
        {
            throw new InvalidOperationException($"nodeset set {result.Lines.Count} nodes, not {nodeCount}.");
        }

        times.Add(seconds);
        var perNode = seconds / nodeCount;
        Console.WriteLine($"{run,3} {seconds,8:F3} {cpuSeconds,7:F3} {perNode * 1000,13:F3} {XcatSecondsPerNode,17:F2} {XcatSecondsPerNode / perNode,12:F0}x");
    }

    var median = times.Order().ElementAt(times.Count / 2);
    Console.WriteLine();
    Console.WriteLine($"median: {median:F3} s for {nodeCount} nodes, {median / nodeCount * 1000:F3} ms per node; xCAT at {XcatSecondsPerNode} s per node would take {XcatSecondsPerNode * nodeCount:F0} s.");
}
finally
{
    Directory.Delete(directory, recursive: true);
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

/// <summary>Swallows nodeset's warnings, so the timing includes no console output.</summary>
internal sealed class QuietProgress : IProgressSink
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
