namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// One file an import puts in place, as the journal records it before anything moves. All paths are on disk and lie
/// in the final file's directory, so every step is a rename within one directory.
/// </summary>
/// <param name="Staged">The file in the staging directory.</param>
/// <param name="Final">Where the file ends up.</param>
/// <param name="Temp">The hidden sibling the staged file is first moved to.</param>
/// <param name="Backup">Where the file that was at <paramref name="Final"/> goes (<c>.ORIG</c>, or a hidden name when xCAT keeps no backup); null when there was none.</param>
/// <param name="Aside">Where an existing <c>.ORIG</c> waits until the import commits (xCAT overwrites it); null when there was none to keep.</param>
/// <param name="KeepBackup">Whether <paramref name="Backup"/> stays after the import (xCAT's <c>.ORIG</c>).</param>
/// <param name="Unpack">
/// Whether <paramref name="Staged"/> is an archive that is unpacked into <paramref name="Temp"/> (a statelite root tree)
/// rather than moved there; <paramref name="Final"/> is then a directory, and so is its backup.
/// </param>
public sealed record JournalMove(string Staged, string Final, string Temp, string? Backup, string? Aside, bool KeepBackup, bool Unpack = false)
{
    /// <summary>The staged file is in place (the last step of a move).</summary>
    public bool IsPlaced => !Exists(Temp);

    /// <summary>
    /// Moves the staged file to its hidden sibling (a copy when staging is on another file system), or for an
    /// <see cref="Unpack"/> move has <paramref name="unpack"/> unpack the archive there.
    /// </summary>
    public void Prepare(Action<JournalMove>? unpack = null)
    {
        if (Exists(Temp))
        {
            return;
        }

        if (Unpack)
        {
            (unpack ?? throw new InvalidOperationException("An unpacking move needs its unpacker."))(this);
        }
        else
        {
            File.Move(Staged, Temp);
        }
    }

    /// <summary>
    /// Finishes the move from wherever it stopped: the old <c>.ORIG</c> aside, the old file to its backup, the new
    /// file into place. Each step is one rename and is skipped when it already happened.
    /// </summary>
    public void Complete()
    {
        if (IsPlaced)
        {
            return;
        }

        if (Aside is not null && !Exists(Aside))
        {
            Move(Final + ".ORIG", Aside);
        }

        if (Backup is not null && !BackupTaken())
        {
            Move(Final, Backup);
        }

        Move(Temp, Final);
    }

    /// <summary>Undoes the move from wherever it stopped, so the directory holds what it held before.</summary>
    public void Undo()
    {
        if (Backup is not null)
        {
            if (BackupTaken())
            {
                if (Exists(Final))
                {
                    Delete(Final);
                }

                Move(Backup, Final);
            }
        }
        else if (!Exists(Temp) && !Exists(Staged) && Exists(Final))
        {
            // The staged file went through its hidden sibling into place; one still in staging never moved.
            Delete(Final);
        }

        if (Aside is not null && Exists(Aside))
        {
            Move(Aside, Final + ".ORIG");
        }

        if (Exists(Temp))
        {
            Delete(Temp);
        }
    }

    /// <summary>After the commit: drops what xCAT does not keep (a replaced <c>.ORIG</c>, hidden backups).</summary>
    public void Clean()
    {
        if (Aside is not null && Exists(Aside))
        {
            Delete(Aside);
        }

        if (Backup is not null && !KeepBackup && Exists(Backup))
        {
            Delete(Backup);
        }
    }

    // The backup name of an .ORIG move is the old .ORIG's own name, so the backup counts as taken only once the
    // old .ORIG has been set aside.
    private bool BackupTaken() => Exists(Backup!) && (Aside is null || Exists(Aside));

    // Only an unpacking move's own paths (the unpacked root tree, the one it replaces) move and go as whole
    // directories; any other move meeting a directory fails, so nothing else of the site is ever removed as a tree.
    private bool IsDirectory(string path) => Unpack && Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null;

    private void Move(string from, string to)
    {
        if (IsDirectory(from))
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    private void Delete(string path)
    {
        if (IsDirectory(path))
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
    }

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
