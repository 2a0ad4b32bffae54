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
public sealed record JournalMove(string Staged, string Final, string Temp, string? Backup, string? Aside, bool KeepBackup)
{
    /// <summary>The staged file is in place (the last step of a move).</summary>
    public bool IsPlaced => !Exists(Temp);

    /// <summary>Moves the staged file to its hidden sibling (a copy when staging is on another file system).</summary>
    public void Prepare()
    {
        if (!Exists(Temp))
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
            File.Move(Final + ".ORIG", Aside);
        }

        if (Backup is not null && !BackupTaken())
        {
            File.Move(Final, Backup);
        }

        File.Move(Temp, Final);
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
                    File.Delete(Final);
                }

                File.Move(Backup, Final);
            }
        }
        else if (!Exists(Temp) && !Exists(Staged) && Exists(Final))
        {
            // The staged file went through its hidden sibling into place; one still in staging never moved.
            File.Delete(Final);
        }

        if (Aside is not null && Exists(Aside))
        {
            File.Move(Aside, Final + ".ORIG");
        }

        if (Exists(Temp))
        {
            File.Delete(Temp);
        }
    }

    /// <summary>After the commit: drops what xCAT does not keep (a replaced <c>.ORIG</c>, hidden backups).</summary>
    public void Clean()
    {
        if (Aside is not null && Exists(Aside))
        {
            File.Delete(Aside);
        }

        if (Backup is not null && !KeepBackup && Exists(Backup))
        {
            File.Delete(Backup);
        }
    }

    // The backup name of an .ORIG move is the old .ORIG's own name, so the backup counts as taken only once the
    // old .ORIG has been set aside.
    private bool BackupTaken() => Exists(Backup!) && (Aside is null || Exists(Aside));

    private static bool Exists(string path) => Path.Exists(path) || new FileInfo(path).LinkTarget is not null;
}
