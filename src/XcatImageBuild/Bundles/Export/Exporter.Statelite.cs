using System.Text;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Images;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Export;

/// <summary>What a statelite export adds: the whole root tree and the litefile rows (xcat-spec §1.4 step 2).</summary>
public sealed partial class Exporter
{
    private const string RootImgTreeName = "rootimgtree.gz";
    private const string LiteFileName = "litefile.csv";

    // cd <rootimgdir>; find rootimg | cpio -H newc -o | gzip: the whole tree, no exlist, written as packimage writes its
    // archive (one scan in name order, inodes numbered in archive order so hard links stay links and no two files share
    // a number, mtimes clamped to SOURCE_DATE_EPOCH), so two exports of the same tree give the same bytes.
    private void PackRootImageTree(OsImageRecord image, ImageManifest manifest, ExportStaging staging, long? sourceDateEpoch)
    {
        var rootImgDir = image.Linux("rootimgdir") ?? throw new XcatException("Couldn't locate the root image directory. ");
        _progress.Info("Packing root image. It will take a while");
        var rootimg = Path.Combine(_site.Map(rootImgDir), "rootimg");
        if (!Directory.Exists(rootimg))
        {
            throw new XcatException($"Couldn't find the root image tree {rootImgDir}/rootimg for {image.Name}; run genimage first.");
        }

        try
        {
            var entries = ArchiveEntry.Number(FileTree.Scan(rootimg), sourceDateEpoch);
            using var output = File.Create(staging.PathOf(RootImgTreeName));
            using var gzip = new ParallelGzipStream(output);
            CpioArchive.Write(gzip, rootimg, entries, "rootimg");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new XcatException($"Cannot pack the root image tree {rootImgDir}/rootimg of {image.Name}: {e.Message}", 1, null, e);
        }

        manifest.RootImgTree = $"{rootImgDir}/{RootImgTreeName}";
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
