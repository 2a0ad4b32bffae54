using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Testing;

// Imports bundles of growing pathological size (x1, x2, x4, x8) and prints the time of each against the x1 bundle.
// Linear cost shows as ratios near 2, 4, 8; quadratic cost as 4, 16, 64; a case refused at a bound stays near 1.
// The bundles stay within the default limits (or are refused at a bound, as the case says), so what is timed is the
// reading, checking and planning itself. Each size is imported three times and the fastest kept, after one warm-up
// import, so a loaded machine's disk and the first JIT show less in the ratios; the process's CPU time is shown beside
// the wall time, since on a shared machine creating files can cost more waiting than work.
// Run: dotnet run -c Release --project benchmarks/ImportBenchmark
const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";

var cases = new (string Name, int Base, Action<TarWriter, int> Members)[]
{
    ("deep paths (levels)", 30, (tar, n) =>
    {
        var path = "img";
        for (var i = 0; i < n; i++)
        {
            path += "/d";
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, path + "/"));
        }
    }),
    ("long link targets (bytes)", 400, (tar, n) =>
    {
        // 200 segments of n/200 bytes each: the depth stays within the bound while the bytes grow.
        var target = string.Join('/', Enumerable.Repeat(new string('s', n / 200), 200));
        for (var i = 0; i < 200; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"img/l{i}") { LinkName = target });
        }
    }),
    ("links through links (chain length)", 500, (tar, n) =>
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/d/"));
        for (var i = 0; i < n; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"img/l{i}") { LinkName = i == 0 ? "d" : $"l{i - 1}/../l{i - 1}" });
        }
    }),
    ("many members (files)", 1000, (tar, n) =>
    {
        for (var i = 0; i < n; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"img/f{i}"));
        }
    }),
    ("path of many segments, refused (segments)", 50_000, (tar, n) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "img/" + string.Concat(Enumerable.Repeat("a/", n)) + "f"))),
    ("manifest nested deep, refused (levels)", 25_000, (tar, n) =>
        WriteImage(tar, "<xcatimage>" + string.Concat(Enumerable.Repeat("<a>", n)) + string.Concat(Enumerable.Repeat("</a>", n)) + "</xcatimage>")),
    ("file extras to many places (extras)", 5_000, (tar, n) =>
    {
        // xCAT exports one file going to several destinations as one extra/ member.
        var manifest = Netboot();
        manifest.Extras.AddRange(Enumerable.Range(0, n).Select(i => new ManifestExtra("/srv/motd", $"/install/custom/d{i}")));
        WriteImage(tar, ManifestWriter.ToXml(manifest));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/extra/"));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "img/extra/motd") { DataStream = new MemoryStream("hello\n"u8.ToArray()) });
    }),
    ("directory extras (extras)", 1_000, (tar, n) =>
    {
        var manifest = Netboot();
        manifest.Extras.AddRange(Enumerable.Range(0, n).Select(i => new ManifestExtra($"/srv/d{i}", $"/install/custom/d{i}")));
        WriteImage(tar, ManifestWriter.ToXml(manifest));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/extra/"));
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/extra/srv/"));
        for (var i = 0; i < n; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, $"img/extra/srv/d{i}/"));
        }
    }),
};

var scratch = Directory.CreateTempSubdirectory("import-benchmark-").FullName;
try
{
    Console.WriteLine("case                                          x1     x2 ratio (cpu)   x4 ratio (cpu)   x8 ratio (cpu)");
    foreach (var (name, size, members) in cases)
    {
        _ = Import(Bundle(members, size));
        var times = Enumerable.Range(0, 4).Select(i => 1 << i).Select(factor =>
        {
            var bundle = Bundle(members, size * factor);
            var runs = Enumerable.Range(0, 3).Select(_ => Import(bundle)).ToList();
            return (Wall: runs.Min(r => r.Wall), Cpu: runs.Min(r => r.Cpu));
        }).ToList();

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-42} {times[0].Wall,6:F2}s {Ratios(1)} {Ratios(2)} {Ratios(3)}"));

        string Ratios(int i) => string.Create(CultureInfo.InvariantCulture, $"{times[i].Wall / times[0].Wall,9:F1} ({times[i].Cpu / times[0].Cpu,4:F1})");
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

string Bundle(Action<TarWriter, int> members, int n)
{
    var bundle = Path.Combine(scratch, "bundle.tgz");
    using var file = File.Create(bundle);
    using var gzip = new GZipStream(file, CompressionLevel.Fastest);
    using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/"));
    members(tar, n);
    return bundle;
}

static (double Wall, double Cpu) Import(string bundle)
{
    using var site = new TempSite();
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    site.Run("imgimport", bundle, "--verify-only");
    var wall = clock.Elapsed.TotalSeconds;
    process.Refresh();
    return (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
}

// A netboot image's manifest and the three files it names.
static void WriteImage(TarWriter tar, string manifest)
{
    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "img/manifest.xml") { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(manifest)) });
    foreach (var file in new[] { "kernel", "initrd-stateless.gz", "rootimg.cpio.gz" })
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"img/{file}") { DataStream = new MemoryStream("x"u8.ToArray()) });
    }
}

static ImageManifest Netboot()
{
    var manifest = new ImageManifest();
    foreach (var (column, value) in new[] { ("imagename", "bench"), ("profile", "compute"), ("provmethod", "netboot"), ("osvers", "rhels8.5.0"), ("osarch", "x86_64") })
    {
        manifest.OsImage[column] = value;
    }

    manifest.LinuxImage["imagename"] = "bench";
    manifest.LinuxImage["rootimgdir"] = RootImgDir;
    manifest.Kernel = $"{RootImgDir}/kernel";
    manifest.Ramdisk = $"{RootImgDir}/initrd-stateless.gz";
    manifest.RootImg = $"{RootImgDir}/rootimg.cpio.gz";
    return manifest;
}
