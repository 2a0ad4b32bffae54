// Times `xcatimg imgdiff` against diffoscope on the same pair of ~800 MB images: two trees of many files of mixed sizes
// and compressibility (text, half-compressible binaries, incompressible blobs), the second with files changed, added,
// removed and re-moded; each packed by our packimage (rootimg.cpio.gz, SOURCE_DATE_EPOCH) and exported by imgexport.
//
//   dotnet run -c Release --project benchmarks/ImgdiffBenchmark [-- --work DIR] [--runs N] [--diffoscope-timeout S] [--tree DIR]
//
// --tree takes an existing root (a Debian image root, say) as the first tree instead of the generated one. The trees,
// archives and bundles are made once under --work (default /var/tmp/xcatimg-imgdiff-benchmark) and reused.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using XcatImageBuild.Cli;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

var work = Argument("--work") ?? "/var/tmp/xcatimg-imgdiff-benchmark";
var runs = int.Parse(Argument("--runs") ?? "3", CultureInfo.InvariantCulture);
var diffoscopeTimeout = int.Parse(Argument("--diffoscope-timeout") ?? "300", CultureInfo.InvariantCulture);
var sourceTree = Argument("--tree");
var runner = new ProcessRunner();
// Two sites, one image name: the bundles then hold the same member names, so diffoscope pairs them and looks inside.
const string image = "benchmark-compute";
string[] sides = ["a", "b"];
string SiteOf(string side) => Path.Combine(work, "site-" + side);
var environment = CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000") with { WorkingDirectory = work };
string ImageDirectory(string side) => Path.Combine(SiteOf(side), "install", "netboot", image);
string Root(string side) => Path.Combine(ImageDirectory(side), "rootimg");
string BundleOf(string side) => Path.Combine(work, side, image + ".tgz");

string Archive(string side) => Path.Combine(ImageDirectory(side), "rootimg.cpio.gz");
if (!Directory.Exists(Root(sides[1])))
{
    if (Directory.Exists(work))
    {
        Directory.Delete(work, recursive: true);
    }

    Directory.CreateDirectory(work);
    Console.WriteLine($"Writing the first tree in {Root(sides[0])}...");
    if (sourceTree is null)
    {
        Generate(Root(sides[0]), new Random(1));
    }
    else
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Root(sides[0]))!);
        runner.Run(new ToolCommand("cp", ["-a", sourceTree, Root(sides[0])]));
    }

    Console.WriteLine("Copying it as the second tree and changing it...");
    Directory.CreateDirectory(Path.GetDirectoryName(Root(sides[1]))!);
    runner.Run(new ToolCommand("cp", ["-a", Root(sides[0]), Root(sides[1])]));
    Console.WriteLine(Change(Root(sides[1]), new Random(2)));
}

const string pkglist = "/install/custom/netboot/debian/compute.pkglist";
foreach (var side in sides)
{
    var site = XcatSite.OpenOrCreate(SiteOf(side));
    Directory.CreateDirectory(Path.GetDirectoryName(site.Map(pkglist))!);
    File.WriteAllText(site.Map(pkglist), "bash\nopenssh-server\n");
    site.Database.Write(s =>
    {
        s.Set(XcatSchema.OsImage, [image], new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot", ["osvers"] = "debian12", ["osarch"] = "x86_64" });
        s.Set(XcatSchema.LinuxImage, [image], new Dictionary<string, string?> { ["rootimgdir"] = $"/install/netboot/{image}", ["pkglist"] = pkglist });
        return 0;
    });
    foreach (var name in new[] { "kernel", "initrd-stateless.gz" })
    {
        File.WriteAllText(Path.Combine(ImageDirectory(side), name), $"{name} of {image}\n");
    }

    if (!File.Exists(Archive(side)))
    {
        Console.WriteLine($"packimage {image} in {SiteOf(side)}...");
        Require(Cli.Run(environment, "--site", SiteOf(side), "packimage", image), "packimage");
    }

    if (!File.Exists(BundleOf(side)))
    {
        Console.WriteLine($"imgexport {image} in {SiteOf(side)}...");
        Directory.CreateDirectory(Path.GetDirectoryName(BundleOf(side))!);
        Require(Cli.Run(environment with { WorkingDirectory = Path.GetDirectoryName(BundleOf(side))! }, "--site", SiteOf(side), "imgexport", image), "imgexport");
    }
}

var cpioBytes = sides.Select(s => TreeBytes(Root(s))).ToList();
var archives = sides.Select(s => new FileInfo(Archive(s)).Length).ToList();
var cases = new List<(string Name, Func<double> Run)>
{
    ("xcatimg imgdiff a/IMAGE.tgz b/IMAGE.tgz", () => Imgdiff(BundleOf(sides[0]), BundleOf(sides[1]))),
};
var times = cases.Select(_ => new List<double>()).ToArray();
for (var run = 0; run < runs; run++)
{
    for (var i = 0; i < cases.Count; i++)
    {
        times[i].Add(cases[i].Run());
    }
}

Console.WriteLine($"diffoscope a/IMAGE.tgz b/IMAGE.tgz (at most {diffoscopeTimeout} s)...");
var diffoscope = Diffoscope(BundleOf(sides[0]), BundleOf(sides[1]), diffoscopeTimeout);
var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
Console.WriteLine();
Console.WriteLine(Invariant($"trees: {cpioBytes[0] / 1e6:F0} MB and {cpioBytes[1] / 1e6:F0} MB of files; rootimg.cpio.gz {archives[0] / 1e6:F0} MB and {archives[1] / 1e6:F0} MB; {Environment.ProcessorCount} cores; load average {load}; median of {runs} runs"));
Console.WriteLine($"{"command",-46} {"wall s",8} {"vs diffoscope",14}");
foreach (var (name, i) in cases.Select((c, i) => (c.Name, i)))
{
    var median = Median(times[i]);
    var ratio = diffoscope is { } seconds ? Invariant($"{seconds / median,13:F1}x") : Invariant($"{">" + (diffoscopeTimeout / median).ToString("F1", CultureInfo.InvariantCulture),13}x");
    Console.WriteLine(Invariant($"{name,-46} {median,8:F2} {ratio}"));
}

Console.WriteLine(diffoscope is { } finished
    ? Invariant($"{"diffoscope a/IMAGE.tgz b/IMAGE.tgz",-46} {finished,8:F2}")
    : Invariant($"{"diffoscope a/IMAGE.tgz b/IMAGE.tgz",-46} did not finish in {diffoscopeTimeout} s"));

double Imgdiff(string a, string b)
{
    var clock = Stopwatch.StartNew();
    var result = Cli.Run(environment, "--site", SiteOf(sides[0]), "imgdiff", a, b);
    var seconds = clock.Elapsed.TotalSeconds;
    if (result.ExitCode != 1)
    {
        throw new InvalidOperationException($"imgdiff exited {result.ExitCode}: {result.Error}");
    }

    return seconds;
}

double? Diffoscope(string a, string b, int timeout)
{
    // diffoscope unpacks into TMPDIR (gigabytes here) and, on SIGTERM, spends minutes cleaning up: it gets a scratch
    // directory of its own, removed afterwards, and SIGKILL at the bound.
    var temporary = Directory.CreateDirectory(Path.Combine(work, "diffoscope-tmp")).FullName;
    var clock = Stopwatch.StartNew();
    var result = runner.Run(new ToolCommand("bash", ["-c", $"TMPDIR='{temporary}' timeout -s KILL {timeout} diffoscope --no-progress --text /dev/null '{a}' '{b}'; echo \"exit $?\""]));
    Directory.Delete(temporary, recursive: true);
    var exit = result.StandardOutput.Trim().Split('\n')[^1];
    return exit is "exit 124" or "exit 137" ? null : exit is "exit 0" or "exit 1" ? clock.Elapsed.TotalSeconds
        : throw new InvalidOperationException($"diffoscope failed ({exit}): {result.StandardError}");
}

// A root-like tree: /usr/share text (docs, configs, scripts), /usr/lib half-compressible binaries, a few
// incompressible blobs (firmware, compressed archives), in nested package directories. About 830 MB.
static void Generate(string root, Random random)
{
    var words = "the of and to in is for on that with as by this be are from at or an it not which kernel module device file system user network package image node config service".Split(' ');
    for (var i = 0; i < 40_000; i++)
    {
        var text = new StringBuilder();
        var size = random.Next(200, 12_000);
        while (text.Length < size)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? '\n' : ' ');
        }

        Write(root, $"usr/share/pkg{i % 900}/doc{i / 900}/file{i}.txt", Encoding.ASCII.GetBytes(text.ToString()));
    }

    for (var i = 0; i < 1_500; i++)
    {
        var bytes = new byte[random.Next(32 << 10, 512 << 10)];
        random.NextBytes(bytes.AsSpan(0, bytes.Length / 2));
        Write(root, $"usr/lib/x86_64-linux-gnu/lib{i % 120}/libpart{i}.so", bytes);
    }

    for (var i = 0; i < 20; i++)
    {
        var bytes = new byte[random.Next(4 << 20, 16 << 20)];
        random.NextBytes(bytes);
        Write(root, $"usr/lib/firmware/vendor{i % 5}/blob{i}.bin", bytes);
    }
}

// 400 text files and 3 large ones changed, 300 files added, 200 removed, 50 re-moded.
static string Change(string root, Random random)
{
    var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
    var texts = files.Where(f => f.EndsWith(".txt", StringComparison.Ordinal)).ToList();
    var large = files.Where(f => new FileInfo(f).Length > 1 << 20).ToList();
    var picked = texts.OrderBy(_ => random.Next()).Take(650).ToList();
    foreach (var file in picked.Take(400))
    {
        File.AppendAllText(file, "changed\n");
    }

    foreach (var file in picked.Skip(400).Take(200))
    {
        File.Delete(file);
    }

    foreach (var file in picked.Skip(600))
    {
        File.SetUnixFileMode(file, (UnixFileMode)0x1C0);
    }

    foreach (var file in large.Take(3))
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = stream.Length / 2;
        stream.WriteByte(0x5a);
    }

    for (var i = 0; i < 300; i++)
    {
        Write(root, $"opt/added/pkg{i % 10}/new{i}.conf", Encoding.ASCII.GetBytes($"setting{i} = {random.Next()}\n"));
    }

    return "changed 400 text files and 3 large ones, removed 200, re-moded 50, added 300";
}

static void Write(string root, string relative, byte[] content)
{
    var path = Path.Combine(root, relative);
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    File.WriteAllBytes(path, content);
}

static long TreeBytes(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

static void Require(CliResult result, string step)
{
    if (result.ExitCode != 0)
    {
        throw new InvalidOperationException($"{step} failed ({result.ExitCode}): {result.Error}");
    }
}

static double Median(IEnumerable<double> values) => Benchmarking.Median(values);

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

string? Argument(string name) => Benchmarking.Argument(args, name);
