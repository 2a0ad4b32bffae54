using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using XcatImageBuild.Testing;

// Imports bundles of growing pathological size (x1, x2, x4, x8) and prints the time of each against the x1 bundle.
// Linear cost shows as ratios near 2, 4, 8; quadratic cost as 4, 16, 64. The bundles stay within the default
// limits (or, for the last case, are refused at a bound), so what is timed is the reading and checking itself.
// Run: dotnet run -c Release --project benchmarks/ImportBenchmark
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
    ("long link targets (bytes)", 500, (tar, n) =>
    {
        for (var i = 0; i < 200; i++)
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, $"img/l{i}") { LinkName = string.Concat(Enumerable.Repeat("./", n / 2)) + "x" });
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
};

var scratch = Directory.CreateTempSubdirectory("import-benchmark-").FullName;
try
{
    Console.WriteLine("case                                        x1        x2 ratio   x4 ratio   x8 ratio");
    foreach (var (name, size, members) in cases)
    {
        var times = new List<double>();
        foreach (var factor in new[] { 1, 2, 4, 8 })
        {
            var bundle = Path.Combine(scratch, "bundle.tgz");
            using (var file = File.Create(bundle))
            using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
            using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
            {
                tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "img/"));
                members(tar, size * factor);
            }

            using var site = new TempSite();
            var clock = Stopwatch.StartNew();
            site.Run("imgimport", bundle, "--verify-only");
            times.Add(clock.Elapsed.TotalSeconds);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name,-40} {times[0],6:F2}s {times[1] / times[0],9:F1} {times[2] / times[0],8:F1} {times[3] / times[0],8:F1}"));
    }
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
