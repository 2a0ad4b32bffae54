using System.Data.Common;
using System.Text.Json;
using XcatImageBuild.Bundles.Import;

namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// The record that makes an import all-or-nothing, even when the process is killed. It is written to
/// <c>&lt;site&gt;/var/lib/xcatimg/import.journal</c> before the first visible change and lists every file move (with its
/// backup names), every directory to create and every row to write. The commit runs in this order:
/// <list type="number">
/// <item>journal written (<see cref="State"/> <c>prepare</c>); directories created; staged files moved to hidden siblings of their final paths;</item>
/// <item>journal rewritten as <c>prepared</c>; old files renamed to their backups, new files renamed into place;</item>
/// <item>all rows written in one database transaction — the commit point;</item>
/// <item>journal rewritten as <c>committed</c>; replaced backups dropped; journal removed.</item>
/// </list>
/// An interrupted import is finished when its transaction committed (state <c>committed</c>, or <c>prepared</c> with
/// every row already in the tables) and rolled back otherwise; <see cref="RecoverInterrupted"/> does this under the
/// site's commit lock, and opening the site (<see cref="XcatSite.Open"/>) calls it.
/// </summary>
public sealed record ImportJournal(
    string State,
    IReadOnlyList<string> Images,
    IReadOnlyList<string> CreatedDirectories,
    IReadOnlyList<JournalMove> Moves,
    IReadOnlyList<JournalRow> Rows)
{
    /// <summary>Where the journal lives, as a logical path.</summary>
    public const string LogicalPath = "/var/lib/xcatimg/import.journal";


    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>
    /// Puts the import in place as described above. The caller holds the site's commit lock. Any failure before the
    /// transaction commits rolls everything back and rethrows.
    /// </summary>
    /// <param name="site">The site.</param>
    /// <param name="onStep">Told each step as it is reached (fault-injection tests only), or null.</param>
    /// <param name="unpack">Unpacks the archive of an <see cref="JournalMove.Unpack"/> move into its temporary directory.</param>
    public void Commit(XcatSite site, Action<ImportCommitStep>? onStep = null, Action<JournalMove>? unpack = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        onStep ??= _ => { };
        var prepared = this with { State = "prepare" };
        try
        {
            prepared.Save(site);
            onStep(ImportCommitStep.JournalWritten);
            foreach (var directory in CreatedDirectories)
            {
                // xCAT creates missing parents with mkpath(..., 0755).
                Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            foreach (var move in Moves)
            {
                move.Prepare(unpack);
            }

            prepared = this with { State = "prepared" };
            prepared.Save(site);
            onStep(ImportCommitStep.FilesPrepared);
            foreach (var move in Moves)
            {
                move.Complete();
                onStep(ImportCommitStep.FileMoved);
            }

            onStep(ImportCommitStep.BeforeTransaction);
            site.Database.Write(session =>
            {
                foreach (var row in Rows)
                {
                    row.Write(session);
                }

                return 0;
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DbException)
        {
            prepared.RollBack(site);
            throw new XcatException($"Failed to put the files of {string.Join(", ", Images)} in place: {e.Message} The import was rolled back; nothing changed.", 1, null, e);
        }
        catch
        {
            prepared.RollBack(site);
            throw;
        }

        onStep(ImportCommitStep.AfterTransaction);
        var committed = this with { State = "committed" };
        try
        {
            committed.Save(site);
        }
        catch (IOException)
        {
            // A full disk now changes nothing: the journal on disk says "prepared" and the tables hold every row,
            // which recovery reads as committed too. Finishing needs no space.
        }

        committed.Finish(site);
    }

    /// <summary>
    /// Finishes or rolls back an import that was interrupted, if any, and removes abandoned staging directories.
    /// Does nothing while another process holds the commit lock (its import is still running).
    /// </summary>
    /// <returns>What was done, for the user, or null when there was nothing to recover.</returns>
    public static string? RecoverInterrupted(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        // The common case costs three lookups and takes no lock.
        var staging = site.Map(StagingArea.LogicalParent);
        var path = site.Map(LogicalPath);
        if (!File.Exists(path) && !AtomicFile.HasTemporaries(path) && !(Directory.Exists(staging) && Directory.EnumerateFileSystemEntries(staging).Any()))
        {
            return null;
        }

        using var commitLock = SiteLock.TryForCommit(site);
        return commitLock is null ? null : RecoverLocked(site);
    }

    /// <summary><see cref="RecoverInterrupted"/> for a caller that already holds the commit lock.</summary>
    public static string? RecoverLocked(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        string? done = null;
        var path = site.Map(LogicalPath);
        if (File.Exists(path))
        {
            var journal = Load(path);
            {
                var images = string.Join(", ", journal.Images);
                var transactionCommitted = journal.State == "committed"
                    || (journal.State == "prepared" && site.Database.Read(s => journal.Rows.All(r => r.IsIn(s))));
                if (transactionCommitted)
                {
                    journal.Finish(site);
                    done = $"Finished the interrupted import of {images}.";
                }
                else
                {
                    journal.RollBack(site);
                    done = $"Rolled back the interrupted import of {images}; the site is as it was before it.";
                }
            }
        }

        AtomicFile.RemoveTemporaries(path);
        StagingArea.RemoveAbandoned(site);
        return done;
    }

    private void Finish(XcatSite site)
    {
        foreach (var move in Moves)
        {
            move.Complete();
        }

        foreach (var move in Moves)
        {
            move.Clean();
        }

        File.Delete(site.Map(LogicalPath));
    }

    private void RollBack(XcatSite site)
    {
        for (var i = Moves.Count - 1; i >= 0; i--)
        {
            Moves[i].Undo();
        }

        // Deepest first; a directory someone else filled meanwhile stays.
        foreach (var directory in CreatedDirectories.OrderByDescending(d => d.Length))
        {
            if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                Directory.Delete(directory);
            }
        }

        File.Delete(site.Map(LogicalPath));
    }

    /// <summary>Writes the journal atomically (<see cref="AtomicFile"/>).</summary>
    private void Save(XcatSite site)
    {
        var path = site.Map(LogicalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, JsonOptions));
    }

    private static ImportJournal Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ImportJournal>(File.ReadAllText(path), JsonOptions)
                ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            // Saves are atomic renames, so this is damage from outside; guessing could lose files.
            throw new XcatException(
                $"The import journal {path} is unreadable ({e.Message}); an interrupted import cannot be recovered automatically.",
                1,
                "Compare the files it names with their .ORIG backups, then remove it.");
        }
    }
}
