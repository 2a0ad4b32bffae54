using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Formats;
using XcatImageBuild.Images;
using XcatImageBuild.Lists;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Packimage;

/// <summary>
/// <c>packimage IMAGE</c>: packs an osimage's rootimg into <c>rootimg.cpio.gz</c> (or <c>.tar.gz</c>, <c>.xz</c>,
/// <c>.zst</c>, <c>rootimg.sfs</c>) in its root image directory, as xCAT's packimage does (xcat-spec §2), with its
/// faults fixed: everything is checked before the image is touched, and the new archive is written under a temporary
/// name and renamed into place only when complete, so a node booting meanwhile gets the old image, never half of the new.
/// </summary>
public sealed class ImagePacker
{
    private readonly XcatSite _site;
    private readonly IProgressSink _progress;
    private readonly IProcessRunner _runner;
    private readonly TimeProvider _clock;

    public ImagePacker(XcatSite site, IProgressSink progress, IProcessRunner runner, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(runner);
        _site = site;
        _progress = progress;
        _runner = runner;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Packs the image.</summary>
    /// <exception cref="XcatException">
    /// The image, its rootimg, an exlist or synclist, the method, the compressor or a tool is missing or wrong (checked
    /// before anything changes), another genimage/packimage/rmimage holds the image directory, or archiving failed
    /// (the previous archive is then left as it was).
    /// </exception>
    public PackimageResult Run(PackimageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = ArchiveFormat.Resolve(options.Method, options.Compress, options.Level, options.Best, _runner);
        var image = LoadImage(options.ImageName);
        var directory = LogicalPath.Normalize(image.RootImageDirectory(_site));
        var rootimg = $"{directory}/rootimg";
        var rootimgPath = _site.Map(rootimg);
        CheckRootImage(image, rootimg, rootimgPath);
        var excludes = LoadExcludeList(image, rootimgPath);
        var rootImage = new RootImagePath(rootimgPath);
        var preparation = new RootImagePreparation(_site, _progress, rootImage);
        var syncLists = options.NoSyncFiles ? [] : preparation.LoadSyncLists(image);

        using var imageLock = SiteLock.ForImageDirectory(_site, directory);
        _progress.Info($"Packing contents of {rootimg}");
        _progress.Info($"archive method:{format.Method}");
        if (format.Method != "squashfs")
        {
            _progress.Info($"compress method:{format.Compressor}");
        }

        if (format.IsGzip && !Formats.Gzip.ParallelGzipStream.UsesLibdeflate)
        {
            _progress.Warning(
                "libdeflate (libdeflate.so.0) is not installed: gzip falls back to zlib, slower and about 2% larger. " +
                "Install the Debian package 'libdeflate0'.");
        }

        if (!Nodeset.PackedRootImage.IsStock(format.FileName))
        {
            // xCAT's nodeset and its initrds know no zstd (xcat-spec §11); only our own dracut module unpacks it.
            _progress.Warning(
                $"{format.FileName} boots only with xcatimg's initrd: stock xCAT's nodeset and initrd do not know it. " +
                $"Formats every xCAT node boots: {string.Join(", ", Nodeset.PackedRootImage.StockNames.Take(5))}.");
        }

        preparation.CopyPostscripts();
        preparation.LinkTimezone();
        preparation.CopyDisklessPost();
        preparation.SetRootPassword(options.ImageName, options.SourceDateEpoch);
        preparation.ApplySyncLists(syncLists);
        var uuid = preparation.WriteImageInfo(
            options.ImageName, options.SourceDateEpoch, () => TreeDigest(rootimgPath, excludes, options.SourceDateEpoch), _clock);

        var entries = ArchiveEntry.Number(ImageSelection.Select(Scan(rootimgPath), excludes), options.SourceDateEpoch);
        WarnAboutLostAttributes(format, entries);
        var archive = $"{directory}/{format.FileName}";
        WriteInPlace(format, rootimgPath, entries, directory, options.SourceDateEpoch);
        return new PackimageResult(archive, _site.Map(archive), entries.Count, uuid);
    }

    private OsImageRecord LoadImage(string name)
    {
        var image = OsImageRecord.Load(_site.Database, name);
        if (image.LinuxImage is null)
        {
            throw new XcatException($"Cannot find {name} from the linuximage table.");
        }

        if (image.OsVers is null || image.OsArch is null || image.Profile is null || image.ProvMethod is null)
        {
            throw new XcatException(
                $"osimage.osvers, osimage.osarch, osimage.profile and osimage.provmethod must be specified for the image {name} in the database.");
        }

        return image.ProvMethod != "netboot"
            ? throw new XcatException($"'{name}' cannot be used to build diskless image. Make sure osimage.provmethod is 'netboot'.")
            : image;
    }

    // xCAT checks this only after changing the image, by which time it has created rootimg/xcatpost itself
    // (xcat-spec §2.3); checked first here, so a missing rootimg is reported and nothing is written.
    private static void CheckRootImage(OsImageRecord image, string rootimg, string rootimgPath)
    {
        if (!Directory.Exists(rootimgPath))
        {
            throw new XcatException(
                $"{rootimg} does not exist, run genimage -o {image.OsVers} -p {image.Profile} on a server with matching architecture");
        }

        // A genimage that failed or was killed leaves a root without its packages or kernel; packing it would ship it.
        var incomplete = Path.Combine(Path.GetDirectoryName(rootimgPath)!, Genimage.GenimageStage.IncompleteMarker);
        if (File.Exists(incomplete))
        {
            throw new XcatException(
                $"genimage did not finish building {rootimg} ({File.ReadAllText(incomplete).Trim()}); packimage will not pack it.",
                1,
                $"Run genimage {image.Name} again and pack the image when it has finished.");
        }
    }

    private ExcludeList LoadExcludeList(OsImageRecord image, string rootimgPath)
    {
        var files = image.Linux("exlist")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var list = ExcludeList.LoadAll(files, _site.Map);
        if (_site.Timezone is { } zone)
        {
            list = list.WithTimezone(zone, rootimgPath);
        }

        foreach (var warning in list.Warnings)
        {
            _progress.Warning(warning);
        }

        return list.WithExcludes(ExcludeList.StateliteExcludes);
    }

    private static IReadOnlyList<(string Name, FileStatus Status)> Scan(string rootimgPath)
    {
        try
        {
            return FileTree.Scan(rootimgPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the root image {rootimgPath}: {e.Message}", 1, null, e);
        }
    }

    // The digest a reproducible IMAGEUUID comes from: every selected member's name, metadata and content, xcatinfo aside.
    internal static byte[] TreeDigest(string rootimgPath, ExcludeList excludes, long? clampTime)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        // xcatinfo is left out before numbering, so the first pack (without it) and later ones number alike.
        var files = ImageSelection.Select(Scan(rootimgPath), excludes).Where(f => f.Name != "./opt/xcat/xcatinfo");
        foreach (var entry in ArchiveEntry.Number(files, clampTime))
        {
            var s = entry.Status;
            hash.AppendData(Encoding.UTF8.GetBytes(
                $"{entry.Name}\0{s.Kind}\0{s.Permissions}\0{s.Uid}\0{s.Gid}\0{s.ModificationTime}\0{s.Size}\0{s.LinkTarget}\0{s.SpecialDevice}\0{entry.Inode}\0"));
            foreach (var (attribute, value) in s.ExtendedAttributes)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(attribute + "\0"));
                hash.AppendData(value);
            }

            if (s.Kind == FileKind.RegularFile && s.Size > 0)
            {
                using var file = File.OpenRead(Path.Combine(rootimgPath, entry.RelativePath));
                int read;
                while ((read = file.Read(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
        }

        return hash.GetHashAndReset();
    }

    private void WarnAboutLostAttributes(ArchiveFormat format, IReadOnlyList<ArchiveEntry> entries)
    {
        if (format.Method != "cpio")
        {
            return;
        }

        var capable = entries.Where(e => e.Status.ExtendedAttributes.Any(a => a.Key == "security.capability")).Select(e => e.Name).ToList();
        if (capable.Count > 0)
        {
            // newc has no field for extended attributes: such binaries (ping) lose their capabilities (xCAT #922).
            _progress.Warning(
                $"{capable.Count} files have file capabilities that a cpio archive cannot carry ({string.Join(", ", capable.Take(3))}); use -m tar to keep them.");
        }
    }

    // Written under a dot name that 'rootimg.*' does not match (AtomicFile), renamed over the final name when complete, and only then
    // are the older archives removed (xCAT removes them first and writes in place; xcat-spec §2.6).
    private void WriteInPlace(ArchiveFormat format, string rootimgPath, IReadOnlyList<ArchiveEntry> entries, string directory, long? sourceDateEpoch)
    {
        var directoryPath = _site.Map(directory);
        var final = Path.Combine(directoryPath, format.FileName);
        var staging = Path.Combine(_site.Map(_site.TmpDir), $"packimage.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            AtomicFile.Create(
                final,
                partial => new ArchiveWriter(_runner, _progress).Write(format, rootimgPath, entries, partial, staging, sourceDateEpoch),
                (UnixFileMode)0x1A4);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new XcatException($"packimage failed while writing {final}: {e.Message}", 1, null, e);
        }

        foreach (var older in Directory.EnumerateFileSystemEntries(directoryPath, "rootimg.*"))
        {
            if (older != final && !Directory.Exists(older))
            {
                File.Delete(older);
            }
        }
    }
}
