using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using XcatImageBuild.Cli;

namespace XcatImageBuild.Testing;

/// <summary>
/// A real bundle, made the way an administrator makes one: a netboot image defined in a site, its tree packed by
/// packimage and exported by imgexport under <c>SOURCE_DATE_EPOCH</c>.
/// </summary>
public static class SampleBundle
{
    /// <summary>The <c>SOURCE_DATE_EPOCH</c> the bundles are exported with: 2026-01-02T03:04:05Z.</summary>
    public const long Epoch = 1767323045;

    /// <summary>Exports the image of <paramref name="site"/> (with a tree changed by <paramref name="change"/>) into <paramref name="directory"/>.</summary>
    /// <param name="site">The site to define the image in.</param>
    /// <param name="directory">Where the bundle is written.</param>
    /// <param name="change">Changes the tree, kernel or lists before the pack.</param>
    /// <param name="packArguments">Extra packimage arguments (-m tar...).</param>
    public static string Export(TempSite site, string directory, Action<NetbootImage>? change = null, params string[] packArguments) =>
        Export(site, directory, change, packReproducibly: false, packArguments);

    /// <summary>As <see cref="Export(TempSite, string, Action{NetbootImage}?, string[])"/>, with packimage under <c>SOURCE_DATE_EPOCH</c> too.</summary>
    public static string ExportReproducibly(TempSite site, string directory, Action<NetbootImage>? change = null) =>
        Export(site, directory, change, packReproducibly: true, []);

    private static string Export(TempSite site, string directory, Action<NetbootImage>? change, bool packReproducibly, string[] packArguments)
    {
        ArgumentNullException.ThrowIfNull(site);
        var pkglist = "/install/custom/netboot/debian/compute.pkglist";
        var image = new NetbootImage(site, linuximage: new Dictionary<string, string?>
        {
            ["rootimgdir"] = "/install/netboot/debian12/x86_64/compute",
            ["pkglist"] = pkglist,
        }).WithTree();
        site.WriteFile(pkglist, "bash\nopenssh-server\n");
        File.WriteAllText(image.Output("kernel"), "kernel 6.1.0-28\n");
        File.WriteAllText(image.Output("initrd-stateless.gz"), "initrd one\n");
        change?.Invoke(image);
        var environment = CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture)) with { WorkingDirectory = directory };
        Require(packReproducibly ? site.Run(environment, ["packimage", .. packArguments, NetbootImage.Name]) : image.Pack(packArguments), "packimage");
        Require(site.Run(environment, "imgexport", NetbootImage.Name), "imgexport");
        return Path.Combine(directory, NetbootImage.Name + ".tgz");
    }

    /// <summary>Adds files to the bundle's image directory (as a signed export with an SBOM carries them).</summary>
    public static void AddMembers(string bundle, IReadOnlyDictionary<string, string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var copy = bundle + ".new";
        using (var input = new GZipStream(File.OpenRead(bundle), CompressionMode.Decompress))
        using (var reader = new TarReader(input))
        using (var output = new GZipStream(File.Create(copy), CompressionLevel.Fastest))
        using (var writer = new TarWriter(output, TarEntryFormat.Pax))
        {
            var time = DateTimeOffset.FromUnixTimeSeconds(Epoch);
            while (reader.GetNextEntry(copyData: true) is { } entry)
            {
                writer.WriteEntry(entry);
            }

            foreach (var (name, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, $"./{NetbootImage.Name}/{name}")
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                    ModificationTime = time,
                    Mode = (UnixFileMode)0x1A4,
                });
            }
        }

        File.Move(copy, bundle, overwrite: true);
    }

    private static void Require(CliResult result, string step)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{step} failed ({result.ExitCode}): {result.Error}{result.Output}");
        }
    }
}
