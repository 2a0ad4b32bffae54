using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Distributions;
using XcatImageBuild.Formats;
using XcatImageBuild.Images;
using XcatImageBuild.Lists;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Packimage;

/// <summary>
/// The changes packimage makes to rootimg before archiving, in xCAT's order (xcat-spec §2.3): postscripts into
/// <c>/xcatpost</c>, the timezone link, <c>xcatdsklspost</c>, root's line of <c>/etc/shadow</c> and the synclists.
/// <c>/opt/xcat/xcatinfo</c> is written last, once the tree is final, because a reproducible IMAGEUUID is derived from it.
/// Every write goes through <see cref="RootImagePath"/>, so nothing is written outside the image.
/// </summary>
internal sealed class RootImagePreparation
{
    private readonly XcatSite _site;
    private readonly IProgressSink _progress;
    private readonly RootImagePath _image;

    public RootImagePreparation(XcatSite site, IProgressSink progress, RootImagePath image)
    {
        _site = site;
        _progress = progress;
        _image = image;
    }

    /// <summary><c>rm -rf xcatpost; mkdir -p xcatpost; cp -r &lt;installdir&gt;/postscripts/* xcatpost/</c>.</summary>
    public void CopyPostscripts()
    {
        var target = _image.Map("/xcatpost", followLast: false);
        if (new FileInfo(target).LinkTarget is not null)
        {
            File.Delete(target);
        }
        else if (Directory.Exists(target))
        {
            Directory.Delete(target, recursive: true);
        }

        Directory.CreateDirectory(target);
        var postscripts = _site.Map($"{_site.InstallDir.TrimEnd('/')}/postscripts");
        if (Directory.Exists(postscripts))
        {
            CopyTree(postscripts, target);
        }
    }

    /// <summary>Links <c>/etc/localtime</c> to site.timezone's zone file, or says why not (xCAT's message).</summary>
    public void LinkTimezone()
    {
        var zone = _site.Timezone;
        if (zone is null)
        {
            _progress.Info("No timezone defined in site table, skipping timezone /etc/localtime configuration");
            return;
        }

        var link = _image.Map("/etc/localtime", followLast: false);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (File.Exists(link) || new FileInfo(link).LinkTarget is not null)
        {
            File.Delete(link);
        }

        File.CreateSymbolicLink(link, $"../usr/share/zoneinfo/{zone}");
    }

    /// <summary>Copies <c>&lt;installdir&gt;/postscripts/xcatdsklspost</c> to <c>/opt/xcat/xcatdsklspost</c> (0755).</summary>
    public void CopyDisklessPost()
    {
        var logical = $"{_site.InstallDir.TrimEnd('/')}/postscripts/xcatdsklspost";
        var source = _site.Map(logical);
        if (!File.Exists(source))
        {
            // xCAT reports this and packs anyway (xcat-spec §2.3 step 5).
            _progress.Warning($"Could not find the script {logical}.");
            return;
        }

        var target = _image.Map("/opt/xcat/xcatdsklspost");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.Copy(source, target, overwrite: true);
        File.SetUnixFileMode(target, (UnixFileMode)0x1ED);
    }

    /// <summary>Replaces root's line of <c>/etc/shadow</c>: the system password, or <c>*</c> with site.secureroot.</summary>
    public void SetRootPassword(string imageName, long? sourceDateEpoch)
    {
        var shadow = _image.Map("/etc/shadow");
        if (!File.Exists(shadow))
        {
            return;
        }

        string password;
        if (_site.SecureRoot)
        {
            password = "*";
        }
        else
        {
            var row = _site.Database.Read(s => s.Find(XcatSchema.Passwd, "system", "root"));
            var plain = row is null || row.IsDisabled || string.IsNullOrEmpty(row["password"]) ? "cluster" : row["password"]!;
            var seed = sourceDateEpoch is { } epoch ? Encoding.UTF8.GetBytes($"{imageName}\n{epoch}") : null;
            password = ShadowPassword.Hash(plain, row?["cryptmethod"], seed);
        }

        var line = $"root:{password}:13880:0:99999:7:::";
        var lines = File.ReadAllLines(shadow).ToList();
        var at = lines.FindIndex(l => l.StartsWith("root:", StringComparison.Ordinal));
        if (at >= 0)
        {
            lines[at] = line;
        }
        else
        {
            lines.Insert(0, line);
        }

        var mode = File.GetUnixFileMode(shadow);
        File.WriteAllText(shadow, string.Concat(lines.Select(l => l + "\n")));
        File.SetUnixFileMode(shadow, mode);
    }

    /// <summary>The synclists of the image (osimage.synclists, else the one found under /install/custom/netboot), read and checked.</summary>
    /// <exception cref="XcatException">A synclist is unreadable or malformed, or names a missing source.</exception>
    public IReadOnlyList<SyncList> LoadSyncLists(OsImageRecord image)
    {
        var names = image.OsImage.GetValueOrDefault("synclists")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            ?? DefaultSyncList(image);
        var lists = names.Where(n => File.Exists(_site.Map(n))).Select(n => SyncList.Load(n, _site.Map)).ToList();
        var problems = lists.SelectMany(l => l.Check(_site.Map)).ToList();
        return problems.Count > 0 ? throw XcatException.FromMany(problems) : lists;
    }

    /// <summary>Applies the synclists to the image, as <c>xdcp -i &lt;rootimg&gt; -F &lt;synclist&gt;</c> does.</summary>
    public void ApplySyncLists(IReadOnlyList<SyncList> lists)
    {
        foreach (var list in lists)
        {
            list.ApplyToImage(_site.Map, p => _image.Map(p), _progress);
        }
    }

    /// <summary>
    /// Writes <c>/opt/xcat/xcatinfo</c>. Reproducible packs derive IMAGEUUID from the digest of the tree being packed
    /// and TIMESTAMP from SOURCE_DATE_EPOCH; otherwise a fresh UUID and the current time, as xCAT does (bug 3542).
    /// </summary>
    public string WriteImageInfo(string imageName, long? sourceDateEpoch, Func<byte[]> treeDigest, TimeProvider clock)
    {
        // The directory exists before the digest is taken, so the first pack digests the same tree as later ones.
        var info = _image.Map("/opt/xcat/xcatinfo");
        Directory.CreateDirectory(Path.GetDirectoryName(info)!);
        Guid uuid;
        DateTimeOffset time;
        if (sourceDateEpoch is { } epoch)
        {
            var bytes = SHA256.HashData([.. Encoding.UTF8.GetBytes(imageName + "\n"), .. treeDigest()])[..16];
            // An RFC 9562 version 8 (custom) UUID: the digest with the version and variant bits set.
            bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            uuid = new Guid(bytes, bigEndian: true);
            time = DateTimeOffset.FromUnixTimeSeconds(epoch);
        }
        else
        {
            uuid = Guid.NewGuid();
            time = clock.GetUtcNow();
        }

        // TIMESTAMP in the form of date(1) in the C locale, as xCAT writes it.
        var stamp = time.UtcDateTime.ToString("ddd MMM ", CultureInfo.InvariantCulture)
            + time.UtcDateTime.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + time.UtcDateTime.ToString(" HH:mm:ss 'UTC' yyyy", CultureInfo.InvariantCulture);
        File.WriteAllText(info, $"IMAGENAME='{imageName}'\nIMAGEUUID='{uuid:D}'\nTIMESTAMP='{stamp}'\n");
        if (sourceDateEpoch is { } mtime)
        {
            File.SetLastWriteTimeUtc(info, DateTime.UnixEpoch.AddSeconds(mtime));
        }

        return uuid.ToString("D");
    }

    // xCAT's lookup under /install/custom/netboot/<platform>/ (most specific name first).
    private string[] DefaultSyncList(OsImageRecord image)
    {
        var platform = Distribution.Of(image.OsVers ?? string.Empty)?.Platform ?? image.OsVers;
        var directory = $"{_site.InstallDir.TrimEnd('/')}/custom/netboot/{platform}";
        var candidates = new[]
        {
            $"{image.Profile}.{image.OsVers}.{image.OsArch}.synclist",
            $"{image.Profile}.{image.OsVers}.synclist",
            $"{image.Profile}.{image.OsArch}.synclist",
            $"{image.Profile}.synclist",
        };
        var found = candidates.Select(c => $"{directory}/{c}").FirstOrDefault(p => File.Exists(_site.Map(p)));
        return found is null ? [] : [found];
    }

    private static void CopyTree(string source, string target)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(source).Order(StringComparer.Ordinal))
        {
            var destination = Path.Combine(target, Path.GetFileName(entry));
            var status = NativeFile.Stat(entry, readExtendedAttributes: false);
            switch (status.Kind)
            {
                case FileKind.Directory:
                    Directory.CreateDirectory(destination);
                    CopyTree(entry, destination);
                    break;
                case FileKind.SymbolicLink:
                    File.CreateSymbolicLink(destination, status.LinkTarget!);
                    break;
                case FileKind.RegularFile:
                    File.Copy(entry, destination, overwrite: true);
                    break;
                default:
                    continue;
            }

            NativeFile.CopyMetadata(status, destination);
        }
    }
}
