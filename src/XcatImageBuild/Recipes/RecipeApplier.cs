using System.Text;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Recipes;

/// <summary>
/// Writes a checked recipe plan into a site: the generated files first (each replaced whole, <see cref="AtomicFile"/>,
/// all flushed to disk at once; a file whose bytes are already right is not touched, so its mtime stays), then every image's osimage and linuximage
/// rows in one transaction, so no row ever names a file that is not there. Applying an unchanged recipe changes nothing.
/// </summary>
public sealed class RecipeApplier
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly XcatSite _site;
    private readonly IProgressSink _progress;

    public RecipeApplier(XcatSite site, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _progress = progress;
    }

    /// <summary>What applying would do to a planned file, judged from the site as it is.</summary>
    public static FileChange Compare(SiteRoot root, PlannedFile file)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(file);
        var path = root.Map(file.LogicalPath);
        if (!File.Exists(path))
        {
            return FileChange.New;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(Utf8.GetBytes(file.Content)) && File.GetUnixFileMode(path) == file.Mode
            ? FileChange.Unchanged
            : FileChange.Changed;
    }

    /// <summary>What applying would do to an image's two rows.</summary>
    public static FileChange Compare(XcatDatabase database, PlannedImage image)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(image);
        return database.Read(session => Compare(session, image));
    }

    /// <summary>Applies the plan: its warnings go to the progress sink, and the result says what happened to every file and image.</summary>
    /// <exception cref="XcatException">The plan has problems (nothing is written), or a file or the database cannot be written.</exception>
    public RecipeApplyResult Apply(RecipePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        plan.ThrowIfInvalid();
        foreach (var warning in plan.Warnings)
        {
            _progress.Warning(warning.Describe(plan.Evaluation.RecipeDirectory));
        }

        var files = WriteFiles(plan);
        var images = WriteRows(plan);
        return new RecipeApplyResult(files, images);
    }

    /// <summary>
    /// The first half of <see cref="Apply"/>: writes the plan's generated files whose bytes or mode differ from the
    /// site's, all with one flush to disk (<see cref="AtomicFile.WriteMany"/>), and says what happened to each.
    /// </summary>
    /// <exception cref="XcatException">A file cannot be written; then no file was replaced.</exception>
    public IReadOnlyList<(string LogicalPath, FileChange Change)> WriteFiles(RecipePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var files = plan.Images.SelectMany(i => i.Files).DistinctBy(f => f.LogicalPath).Select(f => (File: f, Change: Compare(_site.Root, f))).ToList();
        var changed = files.Where(f => f.Change != FileChange.Unchanged).Select(f => f.File).ToList();
        foreach (var file in changed)
        {
            var directory = Path.GetDirectoryName(_site.Map(file.LogicalPath))!;
            try
            {
                Directory.CreateDirectory(directory);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new XcatException($"Cannot write {file.LogicalPath} ({_site.Map(file.LogicalPath)}): {e.Message}", 1, null, e);
            }
        }

        try
        {
            AtomicFile.WriteMany([.. changed.Select(f => (_site.Map(f.LogicalPath), Utf8.GetBytes(f.Content), f.Mode))]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var where = changed.Count == 1 ? $"{changed[0].LogicalPath} ({_site.Map(changed[0].LogicalPath)})" : $"the recipe's {changed.Count} changed files under {_site.Root.Directory}";
            throw new XcatException($"Cannot write {where}: {e.Message}", 1, null, e);
        }

        return [.. files.Select(f => (f.File.LogicalPath, f.Change))];
    }

    /// <summary>
    /// The second half of <see cref="Apply"/>: writes every image's osimage and linuximage rows in one transaction
    /// (rows already as planned are left alone), and says what happened to each image.
    /// </summary>
    /// <exception cref="XcatException">The tables cannot be written; then none changed.</exception>
    public IReadOnlyList<(string Name, FileChange Change)> WriteRows(RecipePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return _site.Database.Write(session => plan.Images.Select(image => (image.Name, WriteRows(session, image))).ToList());
    }

    private static FileChange WriteRows(TableSession session, PlannedImage image)
    {
        var change = Compare(session, image);
        if (change != FileChange.Unchanged)
        {
            session.Set(XcatSchema.OsImage, [image.Name], image.OsImage.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
            session.Set(XcatSchema.LinuxImage, [image.Name], image.LinuxImage.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal));
        }

        return change;
    }

    private static FileChange Compare(TableSession session, PlannedImage image)
    {
        var os = session.Find(XcatSchema.OsImage, image.Name);
        var linux = session.Find(XcatSchema.LinuxImage, image.Name);
        if (os is null && linux is null)
        {
            return FileChange.New;
        }

        static bool Same(TableRow? row, IReadOnlyList<KeyValuePair<string, string?>> columns) =>
            row is not null && columns.All(c => row[c.Key] == c.Value);
        return Same(os, image.OsImage) && Same(linux, image.LinuxImage) ? FileChange.Unchanged : FileChange.Changed;
    }
}
