using XcatImageBuild.Genimage;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Images;

/// <summary>
/// <c>rmimage IMAGE [--xcatdef]</c>: removes a diskless image's files from the management node as xCAT's rmimage does
/// (xcat-spec §12) — rootimg, kernel, initrds, packed images and the boot copies under
/// <c>&lt;tftpdir&gt;/xcat/osimage/&lt;image&gt;</c>, and with <c>--xcatdef</c> the definition — but safely: a mount
/// anywhere under the root image is a refusal naming it (xCAT unmounted lazily and deleted, and once deleted all of
/// /install through a leftover bind mount, #1936); links are removed, never followed; nothing outside the root image
/// directory and that tftp directory is touched.
/// </summary>
public sealed class ImageRemover
{
    private static readonly string[] Methods = ["netboot", "statelite", "raw", "sysclone"];

    /// <summary>The files of a root image directory rmimage removes besides rootimg and every rootimg.*, in xCAT's order.</summary>
    private static readonly string[] ImageFiles = ["kernel", "initrd-stateless.gz", "initrd-statelite.gz"];

    private readonly XcatSite _site;
    private readonly IProgressSink _progress;

    public ImageRemover(XcatSite site, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _progress = progress;
    }

    /// <summary>Removes the image's files (and, with <paramref name="removeDefinition"/>, its osimage definition).</summary>
    /// <exception cref="XcatException">
    /// The image is not a diskless image, its directory is missing or outside the install directory, another stage
    /// holds it, or something is mounted under its root image; nothing has been removed then.
    /// </exception>
    public void Run(string imageName, bool removeDefinition, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        if (verbose)
        {
            _progress.Info($"image name is {imageName}");
        }

        var directory = ResolveDirectory(imageName, verbose, out var method);
        var onDisk = _site.Map(directory);
        if (!Directory.Exists(onDisk))
        {
            throw new XcatException($"Image directory {directory} does not exist");
        }

        CheckInsideInstallDirectory(directory, onDisk);
        using var imageLock = SiteLock.ForImageDirectory(_site, directory);
        RefuseMounts(directory, onDisk);

        var rootimg = Path.Combine(onDisk, "rootimg");
        if (Directory.Exists(rootimg) || new FileInfo(rootimg).LinkTarget is not null)
        {
            _progress.Info($"Removing directory {directory}/rootimg");
            Remove(rootimg);
        }

        // What a build keeps beside the image (the root after the package passes, the initrd) goes with it.
        var cache = Path.Combine(onDisk, Genimage.RootCache.DirectoryName);
        if (Directory.Exists(cache) && new DirectoryInfo(cache).LinkTarget is null)
        {
            _progress.Info($"Removing directory {directory}/{Genimage.RootCache.DirectoryName}");
            Remove(cache);
        }

        var files = ImageFiles
            .Concat(Directory.EnumerateFileSystemEntries(onDisk, "rootimg.*").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);
        foreach (var name in files)
        {
            var path = Path.Combine(onDisk, name!);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                _progress.Info($"Removing file {directory}/{name}");
                Remove(path);
            }
        }

        var tftp = $"{_site.TftpDir.TrimEnd('/')}/xcat/osimage/{imageName}";
        if (Directory.Exists(_site.Map(tftp)))
        {
            _progress.Info($"Removing directory {tftp}");
            Remove(_site.Map(tftp));
        }

        _progress.Info("Image files have been removed successfully from this management node.");
        if (method == "statelite")
        {
            _progress.Info(
                "Please be aware that the statelite image files on the diskful service nodes are not removed, you can remove the image files on the service nodes " +
                $"manually if necessary, for example, use command \"rsync -az --delete {_site.InstallDir} <sn>:/\" to remove the image files on the service nodes, " +
                "where the <sn> is the hostname of the service node.");
        }

        if (removeDefinition)
        {
            _progress.Info($"Removing osimage definition for {imageName}.");
            _site.Database.Write(session =>
            {
                session.Delete(XcatSchema.OsImage, imageName);
                session.Delete(XcatSchema.LinuxImage, imageName);
                return 0;
            });
            _progress.Info($"osimage definition for {imageName} is removed successfully.");
        }
    }

    // rmimage.pm: the osimage row's method and linuximage.rootimgdir; without them the name's own
    // <osvers>-<arch>-<method>-<profile> parts.
    private string ResolveDirectory(string imageName, bool verbose, out string? method)
    {
        var image = OsImageRecord.Find(_site.Database, imageName);
        method = image?.ProvMethod;
        string? osvers = image?.OsVers, arch = image?.OsArch, profile = image?.Profile;
        if (verbose)
        {
            _progress.Info($"For osimage {imageName}: osver = {osvers}, arch = {arch}, profile = {profile}, method = {method} in osimage table");
        }

        if (method is not null && !Methods.Contains(method, StringComparer.Ordinal))
        {
            throw new XcatException($"Invalid method \"{method}\", the rmimage command can only be used to remove the netboot, statelite, sysclone or raw image files");
        }

        var directory = image?.Linux("rootimgdir");
        if (verbose)
        {
            _progress.Info($"For osimage {imageName}: rootimgdir = {directory} in linuximage table");
        }

        if (directory is null)
        {
            if (osvers is null || arch is null || profile is null)
            {
                var parts = imageName.Split('-', 4);
                if (parts.Length < 4 || parts.Any(p => p.Length == 0))
                {
                    throw new XcatException($"Invalid image name {imageName}");
                }

                (osvers, arch, method, profile) = (parts[0], parts[1], parts[2], parts[3]);
                if (!Methods.Contains(method, StringComparer.Ordinal))
                {
                    throw new XcatException($"Invalid method \"{method}\", the rmimage command can only be used to remove the netboot, statelite, sysclone or raw image files");
                }
            }

            directory = $"{_site.InstallDir.TrimEnd('/')}/netboot/{osvers}/{arch}/{profile}";
        }

        if (verbose)
        {
            _progress.Info($"image directory is {directory}");
        }

        return LogicalPath.Normalize(directory);
    }

    // The directory, with every link on its way resolved, must still lie under the install directory, so a
    // rootimgdir of /install/netboot/x linked to / cannot make rmimage delete /rootimg or /kernel.
    private void CheckInsideInstallDirectory(string directory, string onDisk)
    {
        var install = _site.Map(_site.InstallDir);
        var real = RealPath(onDisk);
        var realInstall = Directory.Exists(install) ? RealPath(install) : install;
        if (!LogicalPath.IsUnder(directory, _site.InstallDir) || directory == LogicalPath.Normalize(_site.InstallDir)
            || !(real.StartsWith(realInstall.TrimEnd('/') + "/", StringComparison.Ordinal)))
        {
            throw new XcatException($"The image directory {directory} is not inside the install directory {_site.InstallDir}; rmimage removes nothing outside it.");
        }
    }

    private static void RefuseMounts(string directory, string onDisk)
    {
        var mounts = RootMounts.MountPointsUnder(RealPath(Path.Combine(onDisk, "rootimg")));
        if (mounts.Count > 0)
        {
            throw new XcatException(
                $"Cannot remove {directory}: {string.Join(", ", mounts)} {(mounts.Count == 1 ? "is" : "are")} still mounted under its rootimg. Nothing was removed.",
                1,
                $"Unmount {(mounts.Count == 1 ? "it" : "them")} first (umount -R {mounts.OrderBy(m => m.Length).First()}), then run rmimage again.");
        }
    }

    // The real path of a directory (symbolic links on the way resolved); a path that does not exist is returned as it is.
    private static string RealPath(string path)
    {
        if (!Directory.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        var info = new DirectoryInfo(path);
        var resolved = info.ResolveLinkTarget(returnFinalTarget: true);
        if (resolved is not null)
        {
            return RealPath(resolved.FullName);
        }

        var parent = info.Parent;
        return parent is null ? info.FullName : Path.Combine(RealPath(parent.FullName), info.Name);
    }

    private static void Remove(string path)
    {
        try
        {
            TreeRemoval.Remove(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"rmimage cannot remove {path}: {e.Message}", 1, null, e);
        }
    }
}
