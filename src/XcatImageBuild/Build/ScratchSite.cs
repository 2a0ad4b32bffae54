using XcatImageBuild.Formats;
using XcatImageBuild.Images;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Build;

/// <summary>
/// A second site made from a site for a reproducibility check: the same table rows (in SQLite files of its own, so it
/// never shares a database server) and the same files — install tree, postscripts, media, synclist sources, the
/// package cache — but none of the images' outputs (their root image directories), no build records and no locks,
/// so every stage runs there afresh. Files are hard links where the builds only read them; the package cache, which
/// package managers write into, is copied. On a management node's own root (<c>--site /</c>) only the install tree and
/// the package cache are copied. Disposing it removes the whole directory.
/// </summary>
public sealed class ScratchSite : IDisposable
{
    /// <summary>Where a site's scratch site lives, as a logical path inside it (so nothing is written outside the site).</summary>
    public const string Location = "/var/lib/xcatimg/reproducible";

    // Build records and the scratch site itself, locks, and the tables (copied row by row).
    private static readonly string[] NotCopied = ["/var/lib/xcatimg", "/var/lock", XcatSite.TablesLogicalDirectory];

    // Written into by package managers (apt's archives are bind-mounted into the root): a copy, never a link.
    private const string CopiedNotLinked = "/var/cache";
    private const string PackageCache = "/var/cache/xcatimg";

    private ScratchSite(XcatSite site) => Site = site;

    /// <summary>The scratch site.</summary>
    public XcatSite Site { get; }

    /// <summary>Makes the scratch site of <paramref name="site"/>, first removing one a killed check left behind.</summary>
    /// <exception cref="XcatException">It cannot be created or filled.</exception>
    public static ScratchSite Create(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var directory = site.Map(Location);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            var scratch = XcatSite.CreateDetached(directory);
            var outputs = new HashSet<string>(
                site.Database.ReadAll(XcatSchema.OsImage)
                    .Select(row => row["imagename"])
                    .OfType<string>()
                    .Select(name => OsImageRecord.Find(site.Database, name))
                    .OfType<OsImageRecord>()
                    .Where(image => image.ProvMethod is "netboot" or "statelite")
                    .Select(image => LogicalPath.Normalize(image.RootImageDirectory(site))),
                StringComparer.Ordinal);
            var skipped = new HashSet<string>(NotCopied.Concat(outputs), StringComparer.Ordinal);
            // A management node's own root is not copied whole: only what builds read there.
            foreach (var top in site.Root.IsHostRoot ? [site.InstallDir, PackageCache] : new[] { "/" })
            {
                if (Directory.Exists(site.Map(top)))
                {
                    Directory.CreateDirectory(scratch.Map(top));
                    CopyTree(site, top, scratch, skipped);
                }
            }

            scratch.Database.ReplaceAll(XcatSchema.All.ToDictionary(t => t, site.Database.ReadAll));
            return new ScratchSite(scratch);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Remove(directory);
            throw new XcatException($"Cannot make the scratch site {directory}: {e.Message}", e);
        }
        catch
        {
            Remove(directory);
            throw;
        }
    }

    /// <summary>Removes the scratch site.</summary>
    public void Dispose() => Remove(Site.Root.Directory);

    private static void Remove(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void CopyTree(XcatSite site, string logical, XcatSite scratch, HashSet<string> skipped)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(site.Map(logical)).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var child = logical == "/" ? "/" + name : logical + "/" + name;
            if (skipped.Contains(child))
            {
                continue;
            }

            var target = scratch.Map(child);
            var status = NativeFile.Stat(entry, readExtendedAttributes: true);
            switch (status.Kind)
            {
                case FileKind.Directory:
                    Directory.CreateDirectory(target);
                    CopyTree(site, child, scratch, skipped);
                    NativeFile.CopyMetadata(status, target);
                    break;
                case FileKind.SymbolicLink:
                    File.CreateSymbolicLink(target, status.LinkTarget!);
                    NativeFile.CopyMetadata(status, target);
                    break;
                case FileKind.RegularFile when !child.StartsWith(CopiedNotLinked + "/", StringComparison.Ordinal) && TryLink(entry, target):
                    break;
                case FileKind.RegularFile:
                    File.Copy(entry, target);
                    NativeFile.CopyMetadata(status, target);
                    break;
                default:
                    // Devices, sockets and pipes are no build's input.
                    break;
            }
        }
    }

    private static bool TryLink(string existing, string link)
    {
        try
        {
            NativeFile.HardLink(existing, link);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
