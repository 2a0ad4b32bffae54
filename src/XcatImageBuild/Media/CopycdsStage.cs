using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using XcatImageBuild.Distributions;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Media;

/// <summary>
/// copycds: identifies each distribution media from its own metadata, copies it into installdir, records it in
/// <c>.fingerprint</c> and the osdistro table, and creates xCAT's default osimage definitions for it (xcat-spec §5, §9).
/// Every media named is identified before any is copied, so a mistake in the last one changes nothing.
/// </summary>
public sealed partial class CopycdsStage
{
    private readonly XcatSite _site;
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;

    /// <param name="site">The site to copy into.</param>
    /// <param name="runner">Runs bsdtar for ISO images.</param>
    /// <param name="progress">Receives the copy's progress and xCAT's messages.</param>
    public CopycdsStage(XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _runner = runner;
        _progress = progress;
    }

    /// <summary>Copies each media (an ISO image or an unpacked directory); returns what each was identified as.</summary>
    /// <exception cref="XcatException">A media is missing, unreadable or unidentified, or its copy failed.</exception>
    public IReadOnlyList<MediaIdentity> Run(IReadOnlyList<string> media, CopycdsOptions options)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(options);
        if (media.Count == 0)
        {
            throw new XcatException("copycds needs at least one ISO image or media directory.", 1, "Usage: copycds [-n DISTNAME] [-a ARCH] [-p PATH] [-i] [-o] [-w] ISO_OR_DIR...");
        }

        var identified = media.Select(m => Identify(m, options)).ToList();
        foreach (var (source, identity) in identified)
        {
            if (options.Inspect)
            {
                _progress.Info($"OS Image:{source.Name}");
                _progress.Info($"DISTNAME:{identity.DistName}\nARCH:{identity.Arch}\nDISCNO:{identity.DiscNo}");
                continue;
            }

            Copy(source, identity, options);
        }

        return [.. identified.Select(i => i.Identity)];
    }

    private (IMediaSource Source, MediaIdentity Identity) Identify(string name, CopycdsOptions options)
    {
        IMediaSource source = Directory.Exists(name) ? new DirectoryMedia(name)
            : File.Exists(name) ? new IsoMedia(name, _runner)
            : throw new XcatException($"The media {name} does not exist: name an ISO image or a directory holding an unpacked media.");
        var identity = MediaDetector.Identify(source.ReadMetadata(MediaDetector.MetadataFiles), options.Name, options.Arch, name);
        if (identity.Family == DistributionFamily.Debian && (options.Path is not null || options.NoOverwrite))
        {
            throw new XcatException($"copycds does not support -p or -w for Debian and Ubuntu media ({name}).");
        }

        return (source, identity);
    }

    private void Copy(IMediaSource source, MediaIdentity identity, CopycdsOptions options)
    {
        var pkgdir = options.Path is { } path ? LogicalPath.Normalize(path) : $"{_site.InstallDir}/{identity.DistName}/{identity.Arch}";
        var target = identity.Slot is { } slot && options.Path is null ? $"{pkgdir}/{slot}" : pkgdir;
        var physical = _site.Map(target);
        var fingerprint = Fingerprint(source.ListPaths());
        var fingerprintFile = Path.Combine(physical, ".fingerprint");
        var recorded = File.Exists(fingerprintFile) ? File.ReadAllText(fingerprintFile) : null;
        var copiedBefore = recorded?.Split(',', StringSplitOptions.TrimEntries).Contains(fingerprint, StringComparer.Ordinal) == true;
        if (options.NoOverwrite && copiedBefore)
        {
            _progress.Info("The disc iso has already been copied in!");
            return;
        }

        _progress.Info($"Copying media to {target}");
        var result = CopyInto(source, physical, protectOthers: recorded is not null && !copiedBefore);
        if (!copiedBefore)
        {
            File.AppendAllText(fingerprintFile, fingerprint + ",");
        }

        _progress.Info($"Media copy operation successful");
        _progress.Info(FormattableString.Invariant($"{result.Copied} files copied ({result.BytesCopied / 1048576.0:F1} MiB), {result.Unchanged} unchanged."));

        var distribution = Distribution.Of(identity.DistName);
        if (!options.NoOsImage && distribution is not null)
        {
            ShippedDefaults.Place(_site, distribution);
        }

        _site.Database.Write(tables =>
        {
            RecordDistribution(tables, identity, pkgdir);
            if (!options.NoOsImage && distribution is not null)
            {
                DefaultImages.Write(tables, _site, identity, distribution, pkgdir);
            }

            return 0;
        });
        if (!options.NoOsImage && distribution is null)
        {
            _progress.Warning($"No platform directory is known for '{identity.DistName}', so no osimage definitions were created.");
        }
    }

    /// <summary>Copies the media, creating the directories above the target and removing them again when the copy fails.</summary>
    private MediaCopyResult CopyInto(IMediaSource source, string physical, bool protectOthers)
    {
        var missing = new List<string>();
        for (var parent = Path.GetDirectoryName(physical); parent is not null && !Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
        {
            missing.Add(parent);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(physical)!);
        try
        {
            return new MediaCopier(_progress).Copy(source, physical, protectOthers);
        }
        catch (XcatException)
        {
            foreach (var directory in missing.Where(d => Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any()))
            {
                Directory.Delete(directory);
            }

            throw;
        }
    }

    /// <summary>SvrUtils.pm's update_osdistro_table: one row per distribution and architecture, its directories comma-appended.</summary>
    private static void RecordDistribution(TableSession tables, MediaIdentity identity, string pkgdir)
    {
        var name = $"{identity.DistName}-{identity.Arch}";
        var version = DistributionVersion().Match(identity.DistName);
        var existing = tables.Find(XcatSchema.OsDistro, name)?["dirpaths"];
        var directories = existing?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToList() ?? [];
        if (!directories.Contains(pkgdir, StringComparer.Ordinal))
        {
            directories.Add(pkgdir);
        }

        tables.Set(XcatSchema.OsDistro, [name], new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["basename"] = version.Groups[1].Value,
            ["majorversion"] = version.Groups[2].Value,
            ["minorversion"] = version.Groups[3].Value,
            ["arch"] = identity.Arch,
            ["type"] = "Linux",
            ["dirpaths"] = string.Join(',', directories),
        });
    }

    /// <summary>xCAT's fingerprint of a media: the md5 of its sorted file list.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351", Justification = "xCAT's .fingerprint holds md5 sums; it names a media, it protects nothing.")]
    private static string Fingerprint(IReadOnlyList<string> paths) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Concat(paths.Select(p => "./" + p + "\n")))));

    [GeneratedRegex(@"(\D+)(\d*)\.*(\d*)")]
    private static partial Regex DistributionVersion();
}
