using System.Globalization;
using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Bundles.Import;

/// <summary>Locking and committing a plan: files and rows together, through the journal.</summary>
public sealed partial class Importer
{
    private static readonly TimeSpan CommitWait = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Takes every image's lock (in name order, so two imports never wait on each other), then the site's commit lock,
    /// finishes any interrupted import, and commits the plan through the journal.
    /// </summary>
    private void Commit(StagingArea staging, ImportPlan plan, ImportOptions request)
    {
        var imageLocks = new List<SiteLock>();
        try
        {
            foreach (var name in plan.Images.Select(i => i.Name).Order(StringComparer.Ordinal))
            {
                imageLocks.Add(SiteLock.ForImport(_site, name));
            }

            using var commitLock = SiteLock.ForCommit(_site, CommitWait);
            if (ImportJournal.RecoverLocked(_site) is { } recovered)
            {
                _progress.Warning(recovered);
            }

            var journal = BuildJournal(staging, plan);
            if (!string.IsNullOrEmpty(request.Noderange))
            {
                _progress.Info("Adding postscripts.");
            }

            journal.Commit(_site, request.OnCommitStep, move =>
                RootImageTreeReader.Extract(move.Staged, move.Temp, _site.Root.ToLogical(move.Final) ?? move.Final, request.Limits, Environment.IsPrivilegedProcess));
        }
        finally
        {
            imageLocks.ForEach(l => l.Dispose());
        }
    }

    /// <summary>
    /// Turns the plan into journal moves: checked against the disk now, under the commit lock, so what is replaced
    /// (and kept as .ORIG) is what is there at this moment.
    /// </summary>
    /// <exception cref="XcatException">A destination is refused, or a copy cannot be made (a full disk); nothing changed.</exception>
    private ImportJournal BuildJournal(StagingArea staging, ImportPlan plan)
    {
        var id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray().AsSpan(0, 4));
        var problems = new List<string>();
        var moves = new List<JournalMove>();
        var created = new SortedSet<string>(StringComparer.Ordinal);
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in plan.Files)
        {
            var final = _site.Map(file.Logical);
            var problem = CheckDestination(file, final);
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

            if (file.Unpack)
            {
                _progress.Info($"Extracting {BaseName(file.Member.Path)} into {file.Logical}. It will take a while.");
            }
            else if (file.What != "extra" || file.KeepOriginal)
            {
                _progress.Info(file.Logical);
            }

            if (hadFinal && file.KeepOriginal)
            {
                _progress.Info($"  Moving old {file.Logical} to {file.Logical}.ORIG.");
            }

            var use = uses[file.Member.Path] = uses.GetValueOrDefault(file.Member.Path) + 1;
            var staged = StagedCopy(staging, file.Member, use);
            moves.Add(new JournalMove(staged, final, Path.Combine(directory, $".{name}.xcatimg-{id}.new"), backup, aside, file.KeepOriginal, file.Unpack));
        }

        Refuse(problems);
        return new ImportJournal("plan", [.. plan.Images.Select(i => i.Name)], [.. created], moves, plan.Rows);
    }

    // One member may go to several places (an extra exported once for two destinations, xcat-spec §1.4 step 6);
    // every move takes its own file, so the later ones take a copy made inside staging, numbered by its use.
    private static string StagedCopy(StagingArea staging, StagingMember member, int use)
    {
        try
        {
            var original = staging.Realize(member);
            if (use == 1)
            {
                return original;
            }

            // A bundle member of that name takes its name first; each such member can stand in the way of one use only.
            var copy = string.Create(CultureInfo.InvariantCulture, $"{original}.{use}.copy");
            while (Path.Exists(copy) || new FileInfo(copy).LinkTarget is not null)
            {
                copy += ".copy";
            }

            if (member.Kind == StagingMemberKind.SymbolicLink)
            {
                File.CreateSymbolicLink(copy, member.LinkTarget!);
            }
            else
            {
                File.Copy(original, copy);
            }

            return copy;
        }
        catch (IOException e)
        {
            throw new XcatException($"Failed to stage the bundle's {member.Path}{(use > 1 ? " for another destination" : string.Empty)}: {e.Message} Nothing changed.", 1, null, e);
        }
    }

    /// <summary>The destination must not be a directory, and no existing directory on its way may be a link out of the site.</summary>
    private string? CheckDestination(ImportFile file, string final)
    {
        if (file.Member.Kind != StagingMemberKind.Directory && !file.Unpack && Directory.Exists(final) && new DirectoryInfo(final).LinkTarget is null)
        {
            return $"The {file.What} {file.Logical} of image '{file.Image}' would replace a directory.";
        }

        if (_site.Root.IsHostRoot)
        {
            return null;
        }

        var root = _site.Root.Directory;
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
                return $"The {file.What} {file.Logical} of image '{file.Image}' would be written through the symbolic link {_site.Root.ToLogical(path)}, which leads out of the site.";
            }
        }

        return null;
    }

    private void ReportStatelite(ImportImage image, IReadOnlyList<JournalRow> rows)
    {
        if (rows.Any(r => r.Table == XcatSchema.LiteFile.Name && r.Key[0] == image.Name))
        {
            _progress.Info("Updating the litefile table.");
            _progress.Info("The litetree and statelite tables are untouched. You can update them if needed.");
        }
    }

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
