namespace XcatImageBuild.Tables;

/// <summary>
/// Replaces many table files at once, all or nothing, where one SQLite transaction cannot reach them all: the new
/// files are written complete into a staging directory beside the tables, a marker file then records that the swap
/// is decided, and each staged file is renamed over its table. A crash before the marker leaves the tables as they
/// were (the staging directory is dropped on the next open); a crash after it is finished on the next open.
/// </summary>
internal sealed class TableFileSwap
{
    private const string StagingName = "xcatimg-swap";
    private const string MarkerName = "decided";

    private readonly SqliteTables _tables;

    public TableFileSwap(SqliteTables tables)
    {
        _tables = tables;
    }

    private string Staging => Path.Combine(_tables.Directory, StagingName);

    private string Marker => Path.Combine(Staging, MarkerName);

    /// <summary>Gives every table in <paramref name="tables"/> exactly these rows.</summary>
    public void Replace(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables)
    {
        Recover();
        try
        {
            Directory.CreateDirectory(Staging);
            foreach (var (table, rows) in tables)
            {
                SqliteTables.WriteFile(Path.Combine(Staging, table.Name + ".sqlite"), table, rows);
            }

            using var marker = new FileStream(Marker, FileMode.CreateNew, FileAccess.Write);
            marker.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            TryDelete(Staging);
            throw new XcatException($"Cannot write the new table files in {Staging}: {e.Message} Nothing changed.", 1, null, e);
        }

        Finish();
    }

    /// <summary>Finishes a swap that was decided, or drops one that was not; does nothing when none was under way.</summary>
    public void Recover()
    {
        if (File.Exists(Marker))
        {
            Finish();
        }
        else if (Directory.Exists(Staging))
        {
            TryDelete(Staging);
        }
    }

    private void Finish()
    {
        try
        {
            foreach (var staged in Directory.GetFiles(Staging, "*.sqlite"))
            {
                var target = Path.Combine(_tables.Directory, Path.GetFileName(staged));

                // A hot journal left by a crashed writer belongs to the old file; SQLite would replay it into the new one.
                File.Delete(target + "-journal");
                File.Move(staged, target, overwrite: true);
            }

            File.Delete(Marker);
            Directory.Delete(Staging, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot put the new table files from {Staging} in place: {e.Message} Opening the site again finishes it.", 1, null, e);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next open to remove; without its marker it is never used.
        }
    }
}
