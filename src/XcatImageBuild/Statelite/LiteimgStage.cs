using System.Text.RegularExpressions;
using XcatImageBuild.Formats;
using XcatImageBuild.Genimage;
using XcatImageBuild.Images;
using XcatImageBuild.Lists;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Statelite;

/// <summary>
/// <c>liteimg IMAGE</c>: readies a statelite image's root as xCAT's liteimg does (statelite.pm): the postscripts in
/// <c>/xcatpost</c>, the statelite root read-only in <c>/etc/fstab</c>, root's password, the synclists, the
/// <c>.statelite</c> layout for every litefile entry of the image (with <c>.statelite/litefile.save</c>, so a later
/// run undoes entries that were dropped), xCAT's <c>rc.statelite</c> as <c>/etc/init.d/statelite</c>, and where
/// <c>osimage.rootfstype</c> is ramdisk the packed form <c>rootimg-statelite.gz</c>. Unlike xCAT, everything is checked
/// before the root is touched (xCAT checks the litefile entries after it has changed the root), a root with anything
/// mounted below it is refused, and the ramdisk archive is renamed into place only when complete.
/// </summary>
public sealed partial class LiteimgStage
{
    /// <summary>Where xCAT keeps the node-side statelite script (<c>$XCATROOT/share/xcat/netboot/add-on/statelite</c>).</summary>
    public const string RcStatelite = "/opt/xcat/share/xcat/netboot/add-on/statelite/rc.statelite";

    /// <summary>The packed form of a ramdisk statelite image, in its root image directory.</summary>
    public const string RamdiskArchive = "rootimg-statelite.gz";

    private readonly XcatSite _site;
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;
    private readonly TimeProvider _clock;

    public LiteimgStage(XcatSite site, IProcessRunner runner, IProgressSink progress, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _runner = runner;
        _progress = progress;
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Lites the image.</summary>
    /// <exception cref="XcatException">
    /// The image is missing or not statelite, its root is missing, unfinished, mounted on or outside the install
    /// directory, a litefile entry or synclist is wrong (all checked before anything is written), or another
    /// genimage/packimage/liteimg/rmimage holds the image directory.
    /// </exception>
    public LiteimgResult Run(LiteimgOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var image = LoadImage(options.ImageName);
        var directory = LogicalPath.Normalize(image.RootImageDirectory(_site));
        var rootimg = $"{directory}/rootimg";
        var rootimgPath = _site.Map(rootimg);
        CheckRoot(image, directory, rootimg, rootimgPath);

        var root = new RootImagePath(rootimgPath);
        var tree = new StateliteTree(root, rootimg, _runner, _progress, options.Verbose);
        var list = _site.Database.Read(session => LiteFileList.Read(session, image.Name, image.OsImage.GetValueOrDefault("groups")));
        var problems = list.Problems();
        if (problems.Count > 0)
        {
            throw XcatException.FromMany([.. problems, $"The litefile entries of {image.Name} are refused; nothing in {rootimg} was changed."]);
        }

        var saved = File.Exists(tree.SavedListPath) ? LiteFileList.FromSaved(image.Name, File.ReadAllText(tree.SavedListPath)) : LiteFileList.FromSaved(image.Name, string.Empty);
        var preparation = new RootImagePreparation(_site, _progress, root);
        var syncLists = preparation.LoadSyncLists(image);
        var ramdisk = image.OsImage.GetValueOrDefault("rootfstype") == "ramdisk";
        var excludes = ramdisk ? LoadExcludeList(image) : ExcludeList.Empty;

        using var imageLock = SiteLock.ForImageDirectory(_site, directory);
        _progress.Info($"Modifying {rootimg} ...");
        preparation.CopyPostscripts();
        MakeRootReadOnly(root, image);
        preparation.SetRootPassword(image.Name, options.SourceDateEpoch);
        preparation.ApplySyncLists(syncLists);

        tree.Recover(saved, list);
        tree.Save(list);
        tree.Apply(list);
        InstallRcStatelite(root, options.Verbose);

        string? archive = null;
        if (ramdisk)
        {
            archive = $"{directory}/{RamdiskArchive}";
            PackRamdisk(image.Name, rootimg, rootimgPath, excludes, preparation, options.SourceDateEpoch);
        }

        return new LiteimgResult(rootimg, list.Entries, archive);
    }

    private OsImageRecord LoadImage(string name)
    {
        var image = OsImageRecord.Load(_site.Database, name);
        if (image.ProvMethod is null || !image.ProvMethod.Contains("statelite", StringComparison.Ordinal))
        {
            throw new XcatException("Please make sure that osimage.provmethod is set to statelite before calling this command.");
        }

        if (image.OsVers is null || image.OsArch is null || image.Profile is null)
        {
            throw new XcatException(
                $"osimage.osvers, osimage.osarch, and osimage.profile and must be specified for the image {name} in the database, or you must specify -o os -p profile -a arch.");
        }

        return image;
    }

    private void CheckRoot(OsImageRecord image, string directory, string rootimg, string rootimgPath)
    {
        if (!LogicalPath.IsUnder(directory, _site.InstallDir) || directory == LogicalPath.Normalize(_site.InstallDir))
        {
            throw new XcatException($"The root image directory {directory} of {image.Name} is not under the install directory {_site.InstallDir}; liteimg changes images only there.");
        }

        if (!Directory.Exists(rootimgPath) || new DirectoryInfo(rootimgPath).LinkTarget is not null)
        {
            throw new XcatException($"{rootimg} does not exist, run genimage {image.Name} first.");
        }

        var incomplete = Path.Combine(Path.GetDirectoryName(rootimgPath)!, GenimageStage.IncompleteMarker);
        if (File.Exists(incomplete))
        {
            throw new XcatException(
                $"genimage did not finish building {rootimg} ({File.ReadAllText(incomplete).Trim()}); liteimg will not change it.",
                1,
                $"Run genimage {image.Name} again and liteimg when it has finished.");
        }

        // Moving files about under a live mount would move the host's files (a bind mount of /install, #1936).
        var mounts = RootMounts.MountPointsUnder(rootimgPath);
        if (mounts.Count > 0)
        {
            throw new XcatException(
                $"{string.Join(", ", mounts)} {(mounts.Count == 1 ? "is" : "are")} still mounted under {rootimg}; liteimg changes nothing while anything is mounted there.",
                1,
                $"Unmount {(mounts.Count == 1 ? "it" : "them")} first (umount -R {mounts.OrderBy(m => m.Length).First()}), then run liteimg again.");
        }
    }

    private ExcludeList LoadExcludeList(OsImageRecord image)
    {
        var files = image.Linux("exlist")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var list = ExcludeList.LoadAll(files, _site.Map);
        foreach (var warning in list.Warnings)
        {
            _progress.Warning(warning);
        }

        // Unlike packimage, no statelite paths are left out: the node needs /.statelite and /.default.
        return list;
    }

    // updateFstab: the statelite root's line (<profile>_<arch> ...) is mounted read-only.
    private static void MakeRootReadOnly(RootImagePath root, OsImageRecord image)
    {
        var fstab = root.Map("/etc/fstab");
        if (!File.Exists(fstab))
        {
            return;
        }

        var name = $"{image.Profile}_{image.OsArch}";
        var lines = File.ReadAllText(fstab).Split('\n');
        var changed = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith(name, StringComparison.Ordinal) && ReadWrite().IsMatch(lines[i]))
            {
                lines[i] = ReadWrite().Replace(lines[i], "ro", 1);
                changed = true;
            }
        }

        if (changed)
        {
            var mode = File.GetUnixFileMode(fstab);
            File.WriteAllText(fstab, string.Join('\n', lines));
            File.SetUnixFileMode(fstab, mode);
        }
    }

    // The node-side script that mounts the persistent, ro and litetree entries at boot is xCAT's own; it is copied in
    // when the site has xCAT installed (a management node, --site /), as liteimg does.
    private void InstallRcStatelite(RootImagePath root, bool verbose)
    {
        var source = _site.Map(RcStatelite);
        if (!File.Exists(source))
        {
            _progress.Warning(
                $"{RcStatelite} (xCAT's node-side statelite script) is not in this site, so the image gets no /etc/init.d/statelite: " +
                "its link and tmpfs entries work from the image as it is, but persistent, ro and litetree entries are not mounted at boot.");
            return;
        }

        if (verbose)
        {
            _progress.Info("put the statelite rc file to /etc/init.d/");
        }

        var target = root.Map("/etc/init.d/statelite", followLast: false);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        _runner.Run(new ToolCommand("cp", ["-a", "--no-target-directory", "--", source, target]));
    }

    // find . | cpio -H newc -o | gzip > ../rootimg-statelite.gz, with the exlist applied, written as packimage writes
    // its archive and renamed into place only when complete (xCAT removes the old one first and writes in place).
    private void PackRamdisk(string imageName, string rootimg, string rootimgPath, ExcludeList excludes, RootImagePreparation preparation, long? sourceDateEpoch)
    {
        var format = ArchiveFormat.Resolve(null, null, null, false, _runner);
        preparation.WriteImageInfo(imageName, sourceDateEpoch, () => ImagePacker.TreeDigest(rootimgPath, excludes, sourceDateEpoch), _clock);
        _progress.Info($"Packing contents of {rootimg} ...");
        _progress.Info($"compress method: {format.Compressor}");
        var final = Path.Combine(Path.GetDirectoryName(rootimgPath)!, RamdiskArchive);
        var staging = Path.Combine(_site.Map(_site.TmpDir), $"liteimg.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            var entries = ArchiveEntry.Number(ImageSelection.Select(FileTree.Scan(rootimgPath), excludes), sourceDateEpoch);
            AtomicFile.Create(
                final,
                partial => new ArchiveWriter(_runner, _progress).Write(format, rootimgPath, entries, partial, staging, sourceDateEpoch),
                (UnixFileMode)0x1A4);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new XcatException($"liteimg failed while writing {final}: {e.Message}", 1, null, e);
        }

        _progress.Info($"Packing contents of {rootimg} done.");
    }

    [GeneratedRegex(@"\brw\b")]
    private static partial Regex ReadWrite();
}
