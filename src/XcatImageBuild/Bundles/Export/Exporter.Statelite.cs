using System.IO.Compression;
using System.Text;
using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Export;

/// <summary>What a statelite export adds: the whole root tree and the litefile rows (xcat-spec §1.4 step 2).</summary>
public sealed partial class Exporter
{
    private const string RootImgTreeName = "rootimgtree.gz";
    private const string LiteFileName = "litefile.csv";

    // cd <rootimgdir>; find rootimg | cpio -H newc -o | gzip: the whole tree, no exlist. The names are listed
    // sorted (find's order is the directory's) and cpio runs --reproducible, so two exports give the same bytes.
    private void PackRootImageTree(OsImageRecord image, ImageManifest manifest, ExportStaging staging)
    {
        var rootImgDir = image.Linux("rootimgdir") ?? throw new XcatException("Couldn't locate the root image directory. ");
        _progress.Info("Packing root image. It will take a while");
        var directory = _site.Map(rootImgDir);
        if (!Directory.Exists(Path.Combine(directory, "rootimg")))
        {
            throw new XcatException($"Couldn't find the root image tree {rootImgDir}/rootimg for {image.Name}; run genimage first.");
        }

        var names = new MemoryStream();
        foreach (var name in TreeNames(directory, "rootimg"))
        {
            names.Write(Encoding.UTF8.GetBytes(name));
            names.WriteByte(0);
        }

        names.Position = 0;
        using var output = File.Create(staging.PathOf(RootImgTreeName));
        using (var gzip = new BundleWriterGzipStream(output, CompressionLevel.Optimal))
        {
            var cpio = new ToolCommand("cpio", ["-o", "-H", "newc", "--null", "--quiet", "--reproducible"]) { WorkingDirectory = directory };
            new ProcessRunner().RunStreaming(cpio, names, gzip);
            gzip.Flush();
        }

        manifest.RootImgTree = $"{rootImgDir}/{RootImgTreeName}";
    }

    // find's pre-order walk, each directory's entries sorted ordinally; symbolic links are listed, not followed.
    private static IEnumerable<string> TreeNames(string baseDirectory, string relative)
    {
        yield return relative;
        var info = new DirectoryInfo(Path.Combine(baseDirectory, relative));
        if (info.LinkTarget is not null)
        {
            yield break;
        }

        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        foreach (var entry in info.EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var name = relative + "/" + entry.Name;
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                foreach (var inner in TreeNames(baseDirectory, name))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return name;
            }
        }
    }

    // The litefile rows of image '', of ALL (or of osimage.groups when set) and of the image, one
    // "<image>","<file>","<options or tmpfs>",, line each; the image column is always the exported image.
    private void WriteLiteFile(OsImageRecord image, ImageManifest manifest, ExportStaging staging)
    {
        _progress.Info("Getting litefile settings");
        var imageName = WhitespaceRun().Replace(image.Name, "_");
        var owners = new[] { string.Empty, image.OsImage.GetValueOrDefault("groups") ?? "ALL", imageName };
        var rows = _site.Database.Read(session => owners
            .SelectMany(owner => session.Where(XcatSchema.LiteFile, "image", owner))
            .Where(row => !row.IsDisabled)
            .ToList());
        var text = new StringBuilder();
        foreach (var row in rows.Where(r => !string.IsNullOrEmpty(r["file"])))
        {
            var options = string.IsNullOrEmpty(row["options"]) ? "tmpfs" : row["options"];
            text.Append('"').Append(imageName).Append("\",\"").Append(row["file"]).Append("\",\"").Append(options).Append("\",,\n");
        }

        File.WriteAllText(staging.PathOf(LiteFileName), text.ToString(), new UTF8Encoding(false));
        manifest.LiteFile = $"{image.Linux("rootimgdir")}/{LiteFileName}";
    }
}
