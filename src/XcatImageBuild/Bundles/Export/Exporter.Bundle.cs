using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;
using XcatImageBuild.Progress;
using XcatImageBuild.Sbom;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Bundles.Export;

/// <summary>The bundle's members and how they are written (xcat-spec §1.4 steps 4–8).</summary>
public sealed partial class Exporter
{
    private const string ExtraDirectory = "extra";
    private const UnixFileMode FileMode644 = (UnixFileMode)0b110_100_100;
    private const UnixFileMode PermissionsKept = (UnixFileMode)0b111_101_101;

    // Suffixes of data that is compressed already; storing it costs a copy where deflate would cost a full pass
    // and save nothing. The kernel is a compressed bzImage and initrds are compressed cpio archives.
    private static readonly string[] CompressedSuffixes = [".gz", ".tgz", ".xz", ".txz", ".zst", ".bz2", ".lz4", ".lzma", ".sfs", ".squashfs"];

    private static readonly string[] LinuxImageFileColumns = ["template", "pkglist", "otherpkglist", "postinstall", "exlist"];

    /// <summary>
    /// Lists what goes into <c>./&lt;image&gt;/</c>, echoing each table path as xCAT does. A missing file is
    /// skipped with xCAT's error; two different files that would share a name stop the export.
    /// </summary>
    private List<ExportMember> PlanMembers(OsImageRecord image, ImageManifest manifest, ExportStaging staging)
    {
        var plan = new ExportMemberPlan();
        plan.Reserve(ImageManifest.FileName, "the manifest");
        plan.Reserve(ChecksumList.FileName, "the checksum list");
        plan.Reserve(ChecksumList.SignatureFileName, "the signature");
        plan.Reserve(ExtraDirectory, "the extra/ directory");

        // xCAT's copy order: top-level kernel, ramdisk, rootimg; linuximage lists; osimage synclists.
        string?[] tableFiles =
        [
            manifest.Kernel, manifest.Ramdisk, manifest.RootImg,
            .. LinuxImageFileColumns.Select(manifest.LinuxImage.GetValueOrDefault),
            manifest.OsImage.GetValueOrDefault("synclists"),
        ];
        foreach (var path in tableFiles.Where(v => !string.IsNullOrEmpty(v)).SelectMany(v => v!.Split(',')))
        {
            _progress.Info(path);
            var physical = path.StartsWith('/') ? _site.Map(path) : null;
            if (physical is null || !File.Exists(physical))
            {
                // Already in the manifest, which xCAT writes before copying (xcat-spec §1.4 step 3).
                Skip($"Couldn't find file {path} for {image.Name}. Skip.");
                continue;
            }

            plan.AddFile(Path.GetFileName(path), physical, path);
        }

        // genimage's SBOM travels beside the root image, covered by SHA256SUMS and its signature.
        var imageDirectory = image.Linux("rootimgdir") ?? (manifest.RootImg is { } rootImg ? Site.LogicalPath.DirectoryOf(rootImg) : null);
        if (imageDirectory is not null && File.Exists(_site.Map($"{imageDirectory.TrimEnd('/')}/{ImageSbom.FileName}")))
        {
            var sbom = $"{imageDirectory.TrimEnd('/')}/{ImageSbom.FileName}";
            _progress.Info(sbom);
            plan.AddFile(ImageSbom.FileName, _site.Map(sbom), sbom);
        }

        if (manifest.RootImgTree is not null)
        {
            plan.AddFile(RootImgTreeName, staging.PathOf(RootImgTreeName), manifest.RootImgTree);
            plan.AddFile(LiteFileName, staging.PathOf(LiteFileName), manifest.LiteFile!);
        }

        foreach (var path in manifest.RawImageFiles)
        {
            var physical = _site.Map(path);
            if (!File.Exists(physical))
            {
                throw new XcatException($"Unable to copy the raw image file {path}.");
            }

            plan.AddFile(Path.GetFileName(path), physical, path);
        }

        foreach (var extra in manifest.Extras)
        {
            var physical = _site.Map(extra.Src);
            if (Directory.Exists(physical))
            {
                // cp -a <src>/* extra/<src>/: the tree under its absolute path; the top level's dotfiles stay behind.
                plan.AddTree(ExtraDirectory + Site.LogicalPath.Normalize(extra.Src), physical, extra.Src, skipTopLevelDotfiles: true);
            }
            else
            {
                plan.AddFile($"{ExtraDirectory}/{Path.GetFileName(extra.Src)}", physical, extra.Src);
            }
        }

        return plan.Members();
    }

    /// <summary>
    /// Writes the bundle under a temporary name beside <paramref name="destination"/> and renames it only when
    /// complete, so a failure (a full disk included) leaves no partial bundle and an older bundle intact.
    /// </summary>
    private string WriteBundle(string destination, string imageDirectory, ImageManifest manifest, List<ExportMember> members, DateTimeOffset time, BundleSigner? signer)
    {
        try
        {
            AtomicFile.Write(destination, file =>
            {
                using var bundle = new BundleWriter(file, time);
                WriteMembers(bundle, imageDirectory, manifest, members, signer);
                bundle.Finish();
            });
            return destination;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Failed to compress archive!  (Maybe there was no space left?) {e.Message}", 1, null, e);
        }
    }

    private void WriteMembers(BundleWriter bundle, string imageDirectory, ImageManifest manifest, List<ExportMember> members, BundleSigner? signer)
    {
        var prefix = $"./{imageDirectory}/";
        var total = members.Where(m => m.Source is not null).Sum(m => new FileInfo(m.Source!).Length);
        long done = 0;
        var sums = new List<ChecksumEntry>();
        bundle.AddDirectory("./");
        bundle.AddDirectory(prefix);
        sums.Add(new ChecksumEntry(ImageManifest.FileName, bundle.AddFile(prefix + ImageManifest.FileName, ManifestWriter.ToBytes(manifest), FileMode644)));
        foreach (var member in members)
        {
            if (member.Source is null)
            {
                bundle.AddDirectory(prefix + member.Name + "/");
                continue;
            }

            using var data = new FileStream(member.Source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
            var mode = File.GetUnixFileMode(member.Source) & PermissionsKept;
            sums.Add(new ChecksumEntry(member.Name, bundle.AddFile(prefix + member.Name, data, mode, IsCompressed(member.Name))));
            done += data.Length;
            _progress.Report(new ProgressEvent(Stage, "compress", done, total, ProgressUnit.Bytes));
        }

        _progress.Report(new ProgressEvent(Stage, "compress", done, total, ProgressUnit.Bytes) { Finished = true });

        var list = new ChecksumList(sums).ToBytes();
        bundle.AddFile(prefix + ChecksumList.FileName, list, FileMode644);
        if (signer is not null)
        {
            bundle.AddFile(prefix + ChecksumList.SignatureFileName, signer.Sign(list), FileMode644);
        }
    }

    private static bool IsCompressed(string memberName)
    {
        var name = Path.GetFileName(memberName);
        return name == "kernel" || name.StartsWith("initrd", StringComparison.Ordinal) || name.StartsWith("vmlinuz", StringComparison.Ordinal) ||
               CompressedSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase));
    }
}
