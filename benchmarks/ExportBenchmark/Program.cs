// Stages a realistic netboot image (a compressed rootimg made from random and text data, a kernel-sized file, an
// initrd, the lists) in a scratch site, then times `xcatimg imgexport` against `tar czf` of the same staged
// directory, which is what xCAT's imgexport runs after copying the files. Usage: ExportBenchmark [rootimg MiB].
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Processes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

const string Image = "rhels8.5.0-x86_64-netboot-compute";
const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";
const int Runs = 2;

var rawMiB = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 320;
var scratch = Directory.CreateTempSubdirectory("xcatimg-export-bench-").FullName;
try
{
    var site = XcatSite.OpenOrCreate(Path.Combine(scratch, "site"));
    Console.WriteLine($"Staging a netboot image ({rawMiB} MiB of root image data before compression)...");
    Stage(site, rawMiB);
    var output = Directory.CreateDirectory(Path.Combine(scratch, "out")).FullName;

    // xCAT's temporary directory as make_bundle leaves it before tar: ./<image>/manifest.xml and the flat files.
    var staged = Directory.CreateDirectory(Path.Combine(scratch, "staged", Image)).FullName;
    var ours = TimeExport(site, output);
    using (var tar = File.OpenRead(Path.Combine(output, Image + ".tgz")))
    {
        new ProcessRunner().RunStreaming(new ToolCommand("tar", ["xzf", "-", "-C", Path.GetDirectoryName(staged)!]), tar, null);
    }

    File.Delete(Path.Combine(staged, ChecksumList.FileName));
    var xcat = TimeTar(Path.GetDirectoryName(staged)!, Path.Combine(scratch, "xcat.tgz"));

    var stagedBytes = Directory.EnumerateFiles(staged).Sum(f => new FileInfo(f).Length);
    Console.WriteLine(FormattableString.Invariant($"staged image directory: {stagedBytes / 1048576.0:F1} MiB in {Directory.GetFiles(staged).Length} files"));
    Console.WriteLine(FormattableString.Invariant($"xcatimg imgexport : {ours.Seconds:F2} s  -> {ours.Bytes / 1048576.0:F1} MiB (best of {Runs})"));
    Console.WriteLine(FormattableString.Invariant($"tar czf (xCAT)    : {xcat.Seconds:F2} s  -> {xcat.Bytes / 1048576.0:F1} MiB (best of {Runs})"));
    Console.WriteLine(FormattableString.Invariant($"speed-up: {xcat.Seconds / ours.Seconds:F1}x, size ratio ours/tar: {(double)ours.Bytes / xcat.Bytes:F3}"));
}
finally
{
    Directory.Delete(scratch, recursive: true);
}

static (double Seconds, long Bytes) TimeExport(XcatSite site, string output)
{
    var best = double.MaxValue;
    var bundle = Path.Combine(output, Image + ".tgz");
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        var result = new Exporter(site, new CollectingProgress())
            .Run(new ExportOptions { ImageName = Image, WorkingDirectory = output, SourceDateEpoch = 0 });
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
        if (result.AnythingSkipped)
        {
            throw new InvalidOperationException($"imgexport skipped: {string.Join("; ", result.Skipped)}");
        }
    }

    return (best, new FileInfo(bundle).Length);
}

static (double Seconds, long Bytes) TimeTar(string stagedParent, string bundle)
{
    var best = double.MaxValue;
    for (var run = 0; run < Runs; run++)
    {
        var watch = Stopwatch.StartNew();
        new ProcessRunner().Run(new ToolCommand("tar", ["czf", bundle, "."]) { WorkingDirectory = stagedParent });
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }

    return (best, new FileInfo(bundle).Length);
}

static void Stage(XcatSite site, int rawMiB)
{
    site.Database.Write(s =>
    {
        s.Set(XcatSchema.OsImage, [Image], new Dictionary<string, string?>
        {
            ["profile"] = "compute",
            ["imagetype"] = "linux",
            ["provmethod"] = "netboot",
            ["osvers"] = "rhels8.5.0",
            ["osarch"] = "x86_64",
        });
        s.Set(XcatSchema.LinuxImage, [Image], new Dictionary<string, string?>
        {
            ["rootimgdir"] = RootImgDir,
            ["pkglist"] = "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist",
            ["exlist"] = "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.exlist",
        });
        return 0;
    });
    var random = new Random(42);
    var directory = site.Map(RootImgDir);
    Directory.CreateDirectory(directory);

    // A root image compresses to about 40% (design.md: 209 MB of cpio -> 78 MB): binaries are random-like, the
    // rest is text. 1 MiB blocks: one of random data for every text block, at gzip's default level as packimage
    // compresses it.
    using (var rootimg = new GZipStream(File.Create(Path.Combine(directory, "rootimg.cpio.gz")), CompressionLevel.Optimal))
    {
        var block = new byte[1 << 20];
        var words = Enumerable.Range(0, 5000)
            .Select(_ => new string([.. Enumerable.Range(0, random.Next(3, 11)).Select(_ => (char)('a' + random.Next(26)))]))
            .ToArray();
        for (var mib = 0; mib < rawMiB; mib++)
        {
            if (mib % 2 == 0)
            {
                random.NextBytes(block);
            }
            else
            {
                // Text such as configuration, scripts and documentation: words from a vocabulary, in lines.
                var text = new StringBuilder(block.Length + 64);
                while (text.Length < block.Length)
                {
                    text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? '\n' : ' ');
                }

                Encoding.ASCII.GetBytes(text.ToString(0, block.Length), block);
            }

            rootimg.Write(block);
        }
    }

    WriteRandom(Path.Combine(directory, "kernel"), 12 << 20, random);
    WriteRandom(Path.Combine(directory, "initrd-stateless.gz"), 60 << 20, random);
    var lists = site.Map("/opt/xcat/share/xcat/netboot/rh");
    Directory.CreateDirectory(lists);
    File.WriteAllText(Path.Combine(lists, "compute.rhels8.x86_64.pkglist"), "bash\nkernel\nopenssh-server\n");
    File.WriteAllText(Path.Combine(lists, "compute.rhels8.x86_64.exlist"), "./usr/share/man*\n./usr/share/locale/*\n");
}

static void WriteRandom(string path, int length, Random random)
{
    var bytes = new byte[length];
    random.NextBytes(bytes);
    File.WriteAllBytes(path, bytes);
}
