using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;
using XcatImageBuild.Sbom;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Bundles.Import;

/// <summary>Planning what lands where: xCAT's make_files and moveExtra, set_config and set_postscripts (xcat-spec §1.7, §1.9).</summary>
public sealed partial class Importer
{
    /// <summary>The files and rows of every image; problems instead of rows when a file cannot be placed.</summary>
    private ImportPlan Plan(StagingArea staging, List<ImportImage> images, ImportPathPolicy policy, ImportOptions request)
    {
        var problems = new List<string>();
        var files = PlanFiles(staging, images, policy, problems);
        if (problems.Count > 0)
        {
            return new ImportPlan(images, files, [], problems, []);
        }

        var (rows, skippedNodes) = _site.Database.Read(session => PlanRows(session, staging, images, request));
        if (skippedNodes.Count > 0)
        {
            _progress.Warning($"The following nodes will be skipped because they are not in the nodelist table.\n  {OsImageFields.Escape(string.Join(',', skippedNodes))}");
        }

        return new ImportPlan(images, files, rows, problems, skippedNodes);
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
                        ? $"The manifest of image '{OsImageFields.Escape(image.Name)}' names the {key} {OsImageFields.Escape(path)}, but the bundle has no file {OsImageFields.Escape(member ?? BaseName(path))}."
                        : $"The manifest of image '{OsImageFields.Escape(image.Name)}' names the {key} {OsImageFields.Escape(path)}, but the bundle's {OsImageFields.Escape(member!)} is not a regular file.");
                    continue;
                }

                AddChecked(new ImportFile(image.Name, key, path, staged, KeepOriginal: true));
            }

            foreach (var extra in image.Manifest.Extras)
            {
                PlanExtra(staging, image, extra, AddChecked, problems);
            }

            PlanSbom(staging, image, AddChecked, problems);
        }

        // Images of one bundle often share a list; the same content at the same place is one file.
        foreach (var clash in files.GroupBy(f => f.Logical, StringComparer.Ordinal).Where(g => g.Select(f => f.Member.Sha256).Distinct().Count() > 1))
        {
            problems.Add($"Two different files of the bundle would land at {OsImageFields.Escape(clash.Key)}: {string.Join(" and ", clash.Select(f => OsImageFields.Escape(f.Member.Path)))}.");
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

                // The bundle reader kept the link inside the image directory, but here it lands in dest, where a
                // climbing or absolute target would lead anywhere.
                if (member.Kind == StagingMemberKind.SymbolicLink
                    && (member.LinkTarget!.StartsWith('/') || member.LinkTarget.Split('/').Contains("..")))
                {
                    problems.Add($"The extra {OsImageFields.Escape(extra.Src)} of image '{OsImageFields.Escape(image.Name)}' holds the symbolic link {OsImageFields.Escape(relative)} -> {OsImageFields.Escape(member.LinkTarget)}, which could lead out of {OsImageFields.Escape(dest)}.");
                    continue;
                }

                add(new ImportFile(image.Name, "extra", $"{dest.TrimEnd('/')}/{relative}", member, KeepOriginal: false));
            }

            return;
        }

        if (staging.Find(fileMember) is not { Kind: StagingMemberKind.File } file)
        {
            problems.Add($"The manifest of image '{OsImageFields.Escape(image.Name)}' names the extra {OsImageFields.Escape(extra.Src)}, but the bundle has no file or directory for it ({OsImageFields.Escape(fileMember)}).");
            return;
        }

        add(new ImportFile(image.Name, "extra", $"{dest.TrimEnd('/')}/{BaseName(src)}", file, KeepOriginal: true));
    }

    /// <summary>
    /// The image's SBOM (<c>image.spdx.json</c>, which xCAT's bundles lack) lands in the root image directory, beside
    /// the root image it describes, where genimage writes it.
    /// </summary>
    private static void PlanSbom(StagingArea staging, ImportImage image, Action<ImportFile> add, List<string> problems)
    {
        if (image.Directory.Length == 0 || staging.Find($"{image.Directory}/{ImageSbom.FileName}") is not { } member)
        {
            return;
        }

        var directory = image.Manifest.RootImg is { Length: > 0 } rootImg ? DirectoryOf(rootImg)
            : image.Manifest.LinuxImage.GetValueOrDefault("rootimgdir") is { Length: > 0 } rootImgDir ? rootImgDir.TrimEnd('/')
            : image.Manifest.Kernel is { Length: > 0 } kernel ? DirectoryOf(kernel)
            : null;
        if (member.Kind != StagingMemberKind.File || directory is null)
        {
            problems.Add(member.Kind != StagingMemberKind.File
                ? $"The bundle's {OsImageFields.Escape(member.Path)} is not a regular file."
                : $"The image '{OsImageFields.Escape(image.Name)}' carries {ImageSbom.FileName} but names no root image directory to put it in.");
            return;
        }

        add(new ImportFile(image.Name, "sbom", $"{directory}/{ImageSbom.FileName}", member, KeepOriginal: true));
    }

    /// <summary>The rows: osimage and linuximage upserts, litefile rows of statelite images, and -p postscripts.</summary>
    private (List<JournalRow> Rows, IReadOnlyList<string> SkippedNodes) PlanRows(TableSession session, StagingArea staging, List<ImportImage> images, ImportOptions request)
    {
        var rows = new List<JournalRow>();
        foreach (var image in images)
        {
            rows.Add(TableRow(XcatSchema.OsImage, image, image.Manifest.OsImage));
            if (image.Manifest.LinuxImage.Count > 0)
            {
                rows.Add(TableRow(XcatSchema.LinuxImage, image, image.Manifest.LinuxImage));
            }

            if (image.Manifest.LiteFile is { } liteFile && image.SourceOf(liteFile) is { } member)
            {
                rows.AddRange(LiteFileRows(session, image.Name, File.ReadAllText(staging.PathOf(member))));
            }
        }

        if (string.IsNullOrEmpty(request.Noderange))
        {
            return (rows, []);
        }

        var postscripts = ImportPostscripts.Plan(session, request.Noderange, images);
        rows.AddRange(postscripts.Rows);
        return (rows, postscripts.SkippedNodes);
    }

    // setAttribs with the manifest's columns; a column this schema (xCAT 2.18) lacks would make xCAT's SQL fail for
    // that table, so it is left out with a warning instead.
    private JournalRow TableRow(TableSchema table, ImportImage image, OrderedDictionary<string, string> columns)
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
                _progress.Warning($"The manifest of image '{OsImageFields.Escape(image.Name)}' sets {table.Name}.{OsImageFields.Escape(column)}, which is not a column of xCAT 2.18's {table.Name} table; it is ignored.");
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
}
