using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// <c>imgimport</c>: brings a bundle (xCAT's, ours, or the older design's) into the site, all or nothing. It reads like
/// the manual: unbundle into staging → read each image's manifest → verify it → check media → change profile (-f)
/// → keep paths inside the site → match every file to a bundle member → verify checksums → plan postscripts (-p)
/// → lock → commit files and rows together through the journal.
/// </summary>
public static class Importer
{
    private const string ChecksumFile = ChecksumList.FileName;

    private static readonly string[] RequiredFields = ["imagename", "provmethod", "profile", "osvers", "osarch"];

    private static readonly TimeSpan CommitWait = TimeSpan.FromMinutes(10);

    /// <summary>Imports the bundle; returns the names of the images imported (or verified, with --verify-only).</summary>
    /// <exception cref="XcatException">Anything is wrong; every problem found is listed and the site is unchanged.</exception>
    public static IReadOnlyList<string> Run(XcatSite site, ImportOptions options, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        if (options.RemoteHost is not null)
        {
            throw new XcatException(
                $"imgimport -R {options.RemoteHost} is not supported here.",
                1,
                "Copy the bundle to this host (scp) and import the local file.");
        }

        var bundle = LocateBundle(options.BundlePath);
        progress.Info("Unbundling image...");
        using var staging = StagingArea.Create(site);
        BundleReader.Extract(bundle, !options.NoZip, staging, options.Limits);

        var images = ReadImages(site, staging);
        var problems = new List<string>();
        var policy = new ImportPathPolicy(site.InstallDir, site.TftpDir, options.AllowedPrefixes);
        foreach (var image in images)
        {
            VerifyManifest(image, problems);
            CheckMedia(site, image, problems);
            if (!string.IsNullOrEmpty(options.NewProfile))
            {
                ImportProfileChange.Apply(image, options.NewProfile, site.InstallDir);
            }

            policy.RedirectShippedLists(image);
            VerifyChecksums(staging, image, options.RequireChecksums, problems);
        }

        RefuseRepeatedNames(images, problems);
        ThrowIfAny(problems);
        var files = PlanFiles(staging, images, policy, problems);
        ThrowIfAny(problems);
        var rows = site.Database.Read(session => PlanRows(session, staging, images, options, progress));

        if (options.VerifyOnly)
        {
            foreach (var image in images)
            {
                progress.Info($"The image {image.Name} in {options.BundlePath} is valid and can be imported.");
            }

            return [.. images.Select(i => i.Name)];
        }

        var imageLocks = new List<SiteLock>();
        try
        {
            foreach (var name in images.Select(i => i.Name).Order(StringComparer.Ordinal))
            {
                imageLocks.Add(SiteLock.ForImport(site, name));
            }

            using var commitLock = SiteLock.ForCommit(site, CommitWait);
            var recovered = ImportJournal.RecoverLocked(site);
            if (recovered is not null)
            {
                progress.Warning(recovered);
            }

            var journal = BuildJournal(site, staging, images, files, rows, progress);
            if (!string.IsNullOrEmpty(options.Noderange))
            {
                progress.Info("Adding postscripts.");
            }

            journal.Commit(site);
        }
        finally
        {
            imageLocks.ForEach(l => l.Dispose());
        }

        foreach (var image in images)
        {
            ReportStatelite(image, rows, progress);
            progress.Info($"Successfully imported the image {image.Name}.");
        }

        return [.. images.Select(i => i.Name)];
    }

    // xCAT unpacks rootimgtree.gz with `cpio -idum` as root (device nodes, owners, set-user-ID programs of an OS
    // tree); this importer puts the archive in place and says how, rather than unpack an untrusted tree half-safely.
    private static void ReportStatelite(ImportImage image, List<JournalRow> rows, IProgressSink progress)
    {
        if (rows.Any(r => r.Table == XcatSchema.LiteFile.Name && r.Key[0] == image.Name))
        {
            progress.Info("Updating the litefile table.");
            progress.Info("The litetree and statelite tables are untouched. You can update them if needed.");
        }

        if (image.Manifest.RootImgTree is { } tree)
        {
            var directory = DirectoryOf(tree);
            progress.Warning($"The root image tree {tree} of image '{image.Name}' was put in place but not unpacked; as root, run: cd {directory} && zcat {BaseName(tree)} | cpio -idum && rm {BaseName(tree)}");
        }
    }

    // xCAT tries the name as given, then under the client's working directory; ours is the process's.
    private static string LocateBundle(string bundlePath)
    {
        var full = Path.GetFullPath(bundlePath);
        if (!File.Exists(full))
        {
            throw new XcatException($"Cannot find {bundlePath}");
        }

        return full;
    }

    /// <summary>Every image of the bundle: one per top-level directory, or the one an older design's manifest.cfg describes.</summary>
    private static List<ImportImage> ReadImages(XcatSite site, StagingArea staging)
    {
        if (staging.Find(ImportLegacyManifest.FileName) is { Kind: StagingMemberKind.File })
        {
            return [ImportLegacyManifest.Read(File.ReadAllText(staging.PathOf(ImportLegacyManifest.FileName)), site.InstallDir)];
        }

        var images = new List<ImportImage>();
        foreach (var top in staging.TopLevelNames())
        {
            if (staging.Find(top) is { Kind: not StagingMemberKind.Directory })
            {
                throw new XcatException($"The bundle has '{top}' at its top level, which is not an image directory (xCAT bundles hold only ./<image>/ directories).");
            }

            var manifestPath = $"{top}/{ImageManifest.FileName}";
            if (staging.Find(manifestPath) is not { Kind: StagingMemberKind.File })
            {
                throw new XcatException($"Failed to find manifest.xml file in image bundle: the image directory '{top}/' has no regular file manifest.xml.");
            }

            ImageManifest manifest;
            try
            {
                manifest = ManifestReader.ReadFile(staging.PathOf(manifestPath));
            }
            catch (InvalidDataException e)
            {
                throw new XcatException($"{e.Message} (in {manifestPath})", 1, null, e);
            }

            // Export copies every file flat by its basename (xcat-spec §1.4 step 4).
            var image = new ImportImage(top, manifest, new Dictionary<string, string>(StringComparer.Ordinal));
            var sources = image.Files().Select(f => f.Path).Distinct(StringComparer.Ordinal)
                .ToDictionary(p => p, p => $"{top}/{BaseName(p)}", StringComparer.Ordinal);
            images.Add(new ImportImage(top, manifest, sources));
        }

        return images;
    }

    /// <summary>xCAT's verify_manifest (xcat-spec §1.7), plus the parts of a bundle this importer does not take.</summary>
    private static void VerifyManifest(ImportImage image, List<string> problems)
    {
        var manifest = image.Manifest;
        var missing = RequiredFields
            .Where(f => string.IsNullOrWhiteSpace(manifest.OsImage.GetValueOrDefault(f))).ToList();
        problems.AddRange(missing.Select(f => $"The '{f}' field is not defined in manifest.xml."));
        if (missing.Count > 0)
        {
            return;
        }

        var provmethod = manifest.ProvMethod!;
        if (!(provmethod.Contains("install", StringComparison.Ordinal) || provmethod.Contains("netboot", StringComparison.Ordinal)
            || provmethod.Contains("statelite", StringComparison.Ordinal) || provmethod.Contains("sysclone", StringComparison.Ordinal)
            || provmethod.Contains("raw", StringComparison.Ordinal)))
        {
            problems.Add($"Importing images with 'provmethod' {provmethod} is not supported. Hint: install, netboot, statelite, sysclone or raw");
            return;
        }

        // xCAT reports a missing template as a missing 'osarch' field; this names the field that is missing.
        var needed = provmethod switch
        {
            "install" => manifest.LinuxImage.ContainsKey("template") ? [] : new[] { "template" },
            "netboot" when manifest.OsArch != "s390x" && !(manifest.OsVers ?? string.Empty).Contains("esx", StringComparison.Ordinal) =>
                new[] { ("ramdisk", manifest.Ramdisk), ("kernel", manifest.Kernel), ("rootimg", manifest.RootImg) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToArray(),
            "statelite" =>
                new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimgtree", manifest.RootImgTree) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToArray(),
            _ => [],
        };
        problems.AddRange(needed.Select(f => $"The '{f}' field is not defined in manifest.xml."));

        if (manifest.Kits.Count > 0 || manifest.KitRepos.Count > 0 || manifest.KitComponents.Count > 0)
        {
            problems.Add($"The image '{image.Name}' carries kits (kit, kitrepo and kitcomponent rows); importing kits is not supported here.");
        }

        if (manifest.RawImageFiles.Count > 0)
        {
            problems.Add($"The image '{image.Name}' carries s390x raw image files; importing them is not supported here.");
        }
    }

    /// <summary>check_media: an install image needs its OS media copied (copycds) first.</summary>
    private static void CheckMedia(XcatSite site, ImportImage image, List<string> problems)
    {
        var manifest = image.Manifest;
        if (manifest.Media == ImageManifest.MediaRequired
            && !Directory.Exists(site.Map($"{site.InstallDir.TrimEnd('/')}/{manifest.OsVers}/{manifest.OsArch}")))
        {
            problems.Add($"This image requires that you first copy media for {manifest.OsVers}-{manifest.OsArch}");
        }
    }

    /// <summary>With a SHA256SUMS in the image directory, every regular file must be listed and match.</summary>
    private static void VerifyChecksums(StagingArea staging, ImportImage image, bool required, List<string> problems)
    {
        var prefix = image.Directory.Length == 0 ? string.Empty : image.Directory + "/";
        var listPath = prefix + ChecksumFile;
        var listMember = staging.Find(listPath);
        if (listMember is not { Kind: StagingMemberKind.File })
        {
            if (required)
            {
                problems.Add($"The image '{image.Name}' has no checksum list ({listPath}) and --require-checksums is set.");
            }

            return;
        }

        ChecksumList list;
        try
        {
            list = ChecksumList.ReadFile(staging.PathOf(listPath));
        }
        catch (InvalidDataException e)
        {
            problems.Add($"The checksum list {listPath} is malformed: {e.Message}");
            return;
        }

        var files = staging.Members
            .Where(m => m.Kind == StagingMemberKind.File && m.Path.StartsWith(prefix, StringComparison.Ordinal) && m.Path != listPath)
            .ToDictionary(m => m.Path[prefix.Length..], StringComparer.Ordinal);
        foreach (var entry in list.Entries)
        {
            if (!files.Remove(entry.Path, out var member))
            {
                problems.Add($"The checksum list {listPath} names {entry.Path}, which the bundle does not have.");
            }
            else if (!string.Equals(member.Sha256, entry.Sha256, StringComparison.Ordinal))
            {
                problems.Add($"The checksum of {prefix}{entry.Path} does not match {listPath} (expected {entry.Sha256}, got {member.Sha256}).");
            }
        }

        problems.AddRange(files.Keys.Order(StringComparer.Ordinal).Select(p => $"The member {prefix}{p} is not in the checksum list {listPath}."));
    }

    private static void RefuseRepeatedNames(List<ImportImage> images, List<string> problems)
    {
        problems.AddRange(images.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"The bundle holds the image '{g.Key}' more than once ({string.Join(", ", g.Select(i => i.Directory + "/"))})."));
    }

    /// <summary>Every file each image puts in place, matched to its bundle member and checked against the path policy.</summary>
    private static List<ImportFile> PlanFiles(StagingArea staging, List<ImportImage> images, ImportPathPolicy policy, List<string> problems)
    {
        var files = new List<ImportFile>();
        foreach (var image in images)
        {
            foreach (var (key, path) in image.Files())
            {
                var member = image.SourceOf(path);
                var staged = member is null ? null : staging.Find(member);
                if (staged is not { Kind: StagingMemberKind.File })
                {
                    problems.Add(staged is null
                        ? $"The manifest of image '{image.Name}' names the {key} {path}, but the bundle has no file {member ?? BaseName(path)}."
                        : $"The manifest of image '{image.Name}' names the {key} {path}, but the bundle's {member} is not a regular file.");
                    continue;
                }

                AddChecked(new ImportFile(image.Name, key, path, staged, KeepOriginal: true));
            }

            foreach (var extra in image.Manifest.Extras)
            {
                PlanExtra(staging, image, extra, AddChecked, problems);
            }
        }

        // Images of one bundle often share a list; the same content at the same place is one file.
        foreach (var clash in files.GroupBy(f => f.Logical, StringComparer.Ordinal).Where(g => g.Select(f => f.Member.Sha256).Distinct().Count() > 1))
        {
            problems.Add($"Two different files of the bundle would land at {clash.Key}: {string.Join(" and ", clash.Select(f => f.Member.Path))}.");
        }

        return [.. files.DistinctBy(f => f.Logical, StringComparer.Ordinal)];

        void AddChecked(ImportFile file)
        {
            var problem = policy.Check(file.Image, file.What, file.Logical);
            if (problem is null)
            {
                files.Add(file);
            }
            else
            {
                problems.Add(problem);
            }
        }
    }

    /// <summary>
    /// xCAT's moveExtra: a file travels as <c>extra/&lt;basename&gt;</c> and lands in dest (the old one kept as .ORIG);
    /// a directory travels as <c>extra/&lt;src&gt;/</c> and its content, top-level dotfiles excepted, is copied over dest.
    /// </summary>
    private static void PlanExtra(StagingArea staging, ImportImage image, ManifestExtra extra, Action<ImportFile> add, List<string> problems)
    {
        var src = extra.Src.TrimEnd('/');
        var legacy = image.Directory.Length == 0;
        var directoryMember = legacy ? src : $"{image.Directory}/extra/{src.TrimStart('/')}";
        var fileMember = legacy ? src : $"{image.Directory}/extra/{BaseName(src)}";
        var isDirectory = staging.Find(directoryMember) is { Kind: StagingMemberKind.Directory };
        var dest = extra.Dest.Length > 0 ? extra.Dest : isDirectory ? src : DirectoryOf(src);
        if (isDirectory)
        {
            foreach (var member in staging.Members.Where(m => m.Path.StartsWith(directoryMember + "/", StringComparison.Ordinal)))
            {
                var relative = member.Path[(directoryMember.Length + 1)..];
                if (relative.StartsWith('.'))
                {
                    continue;
                }

                if (member.Kind == StagingMemberKind.SymbolicLink
                    && (member.LinkTarget!.StartsWith('/') || member.LinkTarget.Split('/').Contains("..")))
                {
                    problems.Add($"The extra {extra.Src} of image '{image.Name}' holds the symbolic link {relative} -> {member.LinkTarget}, which could lead out of {dest}.");
                    continue;
                }

                add(new ImportFile(image.Name, "extra", $"{dest.TrimEnd('/')}/{relative}", member, KeepOriginal: false));
            }

            return;
        }

        if (staging.Find(fileMember) is not { Kind: StagingMemberKind.File } file)
        {
            problems.Add($"The manifest of image '{image.Name}' names the extra {extra.Src}, but the bundle has no file or directory for it ({fileMember}).");
            return;
        }

        add(new ImportFile(image.Name, "extra", $"{dest.TrimEnd('/')}/{BaseName(src)}", file, KeepOriginal: true));
    }

    /// <summary>The rows: osimage and linuximage upserts, litefile rows of statelite images, and -p postscripts.</summary>
    private static List<JournalRow> PlanRows(TableSession session, StagingArea staging, List<ImportImage> images, ImportOptions options, IProgressSink progress)
    {
        var rows = new List<JournalRow>();
        foreach (var image in images)
        {
            rows.Add(TableRow(XcatSchema.OsImage, image, image.Manifest.OsImage, progress));
            if (image.Manifest.LinuxImage.Count > 0)
            {
                rows.Add(TableRow(XcatSchema.LinuxImage, image, image.Manifest.LinuxImage, progress));
            }

            if (image.Manifest.LiteFile is { } liteFile && image.SourceOf(liteFile) is { } member)
            {
                rows.AddRange(LiteFileRows(session, image.Name, File.ReadAllText(staging.PathOf(member))));
            }
        }

        if (!string.IsNullOrEmpty(options.Noderange))
        {
            rows.AddRange(ImportPostscripts.Plan(session, options.Noderange, images, progress));
        }

        return rows;
    }

    // setAttribs with the manifest's columns; a column this schema (xCAT 2.18) lacks would make xCAT's SQL fail for
    // that table, so it is left out with a warning instead.
    private static JournalRow TableRow(TableSchema table, ImportImage image, OrderedDictionary<string, string> columns, IProgressSink progress)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in columns)
        {
            if (table.Keys.Contains(column))
            {
                continue;
            }

            if (table.HasColumn(column))
            {
                values[column] = value;
            }
            else
            {
                progress.Warning($"The manifest of image '{image.Name}' sets {table.Name}.{column}, which is not a column of xCAT 2.18's {table.Name} table; it is ignored.");
            }
        }

        return new JournalRow(table.Name, [image.Name], values);
    }

    /// <summary>litefile.csv lines <c>"image","file","options",,</c>; a line equal to an existing ALL row is skipped.</summary>
    private static IEnumerable<JournalRow> LiteFileRows(TableSession session, string imageName, string csv)
    {
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('"');
            if (fields.Length < 6 || fields[3].Length == 0)
            {
                continue;
            }

            var (file, options) = (fields[3], fields[5]);
            var all = session.Find(XcatSchema.LiteFile, "ALL", file);
            if (all is not null && (all["options"] ?? string.Empty) == options)
            {
                continue;
            }

            yield return new JournalRow(XcatSchema.LiteFile.Name, [imageName, file], new Dictionary<string, string>(StringComparer.Ordinal) { ["options"] = options });
        }
    }

    /// <summary>
    /// Turns the plan into journal moves: checked against the disk now, under the commit lock, so what is replaced
    /// (and kept as .ORIG) is what is there at this moment.
    /// </summary>
    private static ImportJournal BuildJournal(XcatSite site, StagingArea staging, List<ImportImage> images, List<ImportFile> files, List<JournalRow> rows, IProgressSink progress)
    {
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        var problems = new List<string>();
        var moves = new List<JournalMove>();
        var created = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var final = site.Map(file.Logical);
            var problem = CheckDestination(site, file, final);
            if (problem is not null)
            {
                problems.Add(problem);
                continue;
            }

            for (var parent = Path.GetDirectoryName(final); parent is not null && !Directory.Exists(parent); parent = Path.GetDirectoryName(parent))
            {
                created.Add(parent);
            }

            if (file.Member.Kind == StagingMemberKind.Directory)
            {
                if (!Directory.Exists(final))
                {
                    created.Add(final);
                }

                continue;
            }

            var directory = Path.GetDirectoryName(final)!;
            var name = Path.GetFileName(final);
            var hadFinal = Exists(final);
            string? backup = null;
            string? aside = null;
            if (hadFinal)
            {
                backup = file.KeepOriginal ? final + ".ORIG" : Path.Combine(directory, $".{name}.xcatimg-{id}.old");
                aside = file.KeepOriginal && Exists(final + ".ORIG") ? Path.Combine(directory, $".{name}.ORIG.xcatimg-{id}.old") : null;
            }

            if (file.What != "extra" || file.KeepOriginal)
            {
                progress.Info(file.Logical);
            }

            if (hadFinal && file.KeepOriginal)
            {
                progress.Info($"  Moving old {file.Logical} to {file.Logical}.ORIG.");
            }

            moves.Add(new JournalMove(staging.PathOf(file.Member.Path), final, Path.Combine(directory, $".{name}.xcatimg-{id}.new"), backup, aside, file.KeepOriginal));
        }

        ThrowIfAny(problems);
        return new ImportJournal("plan", [.. images.Select(i => i.Name)], [.. created], moves, rows);
    }

    /// <summary>The destination must not be a directory, and no existing directory on its way may be a link out of the site.</summary>
    private static string? CheckDestination(XcatSite site, ImportFile file, string final)
    {
        if (file.Member.Kind != StagingMemberKind.Directory && Directory.Exists(final) && new DirectoryInfo(final).LinkTarget is null)
        {
            return $"The {file.What} {file.Logical} of image '{file.Image}' would replace a directory.";
        }

        if (site.Root.IsHostRoot)
        {
            return null;
        }

        var root = site.Root.Directory;
        var path = root;
        foreach (var part in final[(root.Length + 1)..].Split('/').SkipLast(1))
        {
            path = Path.Combine(path, part);
            var info = new DirectoryInfo(path);
            if (info.LinkTarget is null)
            {
                if (!info.Exists)
                {
                    break;
                }

                continue;
            }

            var target = info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? string.Empty;
            if (target != root && !target.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return $"The {file.What} {file.Logical} of image '{file.Image}' would be written through the symbolic link {site.Root.ToLogical(path)}, which leads out of the site.";
            }
        }

        return null;
    }

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;

    private static void ThrowIfAny(List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw XcatException.FromMany([.. problems.Distinct(StringComparer.Ordinal)]);
        }
    }
}
