using Microsoft.Data.Sqlite;

namespace XcatImageBuild.Tables;

/// <summary>
/// A site's xCAT tables, stored where xCAT stores them (xcat-spec §13): one SQLite file per table in the site's
/// <c>etc/xcat</c>, or the PostgreSQL database a cfgloc line names. Every read and every change runs in one
/// transaction; a change to several tables lands in all of them or in none. A writer waits for another writer
/// instead of failing.
/// </summary>
public sealed class XcatDatabase
{
    /// <summary>The single file this product kept every table in before it kept xCAT's layout.</summary>
    public const string LegacyFileName = "xcatimg.sqlite";

    private readonly TableBackend _backend;

    private XcatDatabase(TableBackend backend)
    {
        _backend = backend;
    }

    /// <summary>Where the tables are: the table directory, or the PostgreSQL server and database with the cfgloc naming it.</summary>
    public string Location => _backend.Description;

    /// <summary>The PostgreSQL line the tables come from, or null when they are SQLite files.</summary>
    public Cfgloc? Cfgloc => (_backend as PostgresTables)?.Cfgloc;

    /// <summary>Statements run against the tables so far through this object (benchmarks print it).</summary>
    public long Queries => _backend.Queries;

    /// <summary>Statements run against any site's tables in this process so far.</summary>
    public static long AllQueries => TableBackend.AllQueries;

    /// <summary>
    /// Opens a site's tables: PostgreSQL when <paramref name="cfgloc"/> is given, else one SQLite file per table in
    /// <paramref name="directory"/>, creating the tables that are missing. Tables still in the single-file form are
    /// moved into the new place first, all or nothing, and <paramref name="notice"/> says so.
    /// <paramref name="initialize"/> runs in one write transaction right after the tables exist.
    /// </summary>
    /// <exception cref="XcatException">A table file is not a database, the server cannot be reached or refuses, or the move cannot be made.</exception>
    public static XcatDatabase Open(string directory, Cfgloc? cfgloc = null, Action<TableSession>? initialize = null, Action<string>? notice = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        directory = Path.GetFullPath(directory);
        TableBackend backend = cfgloc is null ? new SqliteTables(directory) : new PostgresTables(cfgloc);
        if (backend is SqliteTables files)
        {
            new TableFileSwap(files).Recover();
        }

        backend.EnsureSchema();
        var database = new XcatDatabase(backend);
        var legacy = Path.Combine(directory, LegacyFileName);
        if (File.Exists(legacy))
        {
            database.MoveFromSingleFile(legacy);
            notice?.Invoke($"Moved the tables of {legacy} into {backend.Description}, {(cfgloc is null ? "one file per table as xCAT keeps them" : "as the cfgloc names")}.");
        }

        if (initialize is not null)
        {
            database.Write(session =>
            {
                initialize(session);
                return 0;
            });
        }

        return database;
    }

    /// <summary>Runs <paramref name="read"/> in a read transaction: it sees one consistent state of the tables it reads.</summary>
    public T Read<T>(Func<TableSession, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return _backend.Run(read, write: false);
    }

    /// <summary>
    /// Runs <paramref name="change"/> in one write transaction: all its changes land together, or none does when it
    /// throws. On SQLite the work may run more than once (see <see cref="SqliteTables"/>), so it changes nothing but
    /// the tables.
    /// </summary>
    public T Write<T>(Func<TableSession, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return _backend.Run(change, write: true);
    }

    /// <summary>Every row of a table, in storage order.</summary>
    public IReadOnlyList<TableRow> ReadAll(TableSchema table) => Read(s => s.ReadAll(table));

    /// <summary>The row with this key, or null.</summary>
    public TableRow? Find(TableSchema table, params string[] key) => Read(s => s.Find(table, key));

    /// <summary>
    /// Gives each named table exactly these rows, all tables at once or none (restorexCATdb, tabrestore). Every key is
    /// checked against xCAT's 128-character limit and every table's keys for duplicates before anything changes.
    /// </summary>
    /// <exception cref="XcatException">A key is too long or repeated; the tables cannot be written.</exception>
    public void ReplaceAll(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var (table, rows) in tables)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var row in rows)
            {
                var key = table.Keys.Select(k => row[k] ?? string.Empty).ToList();
                TableSession.CheckKeyLength(table, key);
                if (!seen.Add(string.Join('\0', key)))
                {
                    throw new XcatException($"The {table.Name} table would hold the key {string.Join(", ", key.Select(k => $"'{k}'"))} twice.");
                }
            }
        }

        _backend.ReplaceAll(tables);
    }

    private void MoveFromSingleFile(string legacy)
    {
        var rows = ReadSingleFile(legacy);
        var current = XcatSchema.All.ToDictionary(t => t, ReadAll);
        if (current.Any(c => c.Value.Count > 0))
        {
            // A move that was interrupted after its rows landed only has the old file left to remove.
            var same = XcatSchema.All.All(t => TabDump.Format(t, current[t]) == TabDump.Format(t, rows.GetValueOrDefault(t, [])));
            if (!same)
            {
                var filled = string.Join(", ", current.Where(c => c.Value.Count > 0).Select(c => c.Key.Name));
                throw new XcatException(
                    $"The site holds its tables twice: in the single file {legacy} and in {_backend.Description} (tables {filled}). Move one of them away; nothing was changed.");
            }
        }
        else
        {
            ReplaceAll(rows);
        }

        try
        {
            File.Delete(legacy);
            File.Delete(legacy + "-journal");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"The tables of {legacy} were moved into {_backend.Description}, but the old file cannot be removed: {e.Message}", 1, null, e);
        }
    }

    private static Dictionary<TableSchema, IReadOnlyList<TableRow>> ReadSingleFile(string path)
    {
        var result = new Dictionary<TableSchema, IReadOnlyList<TableRow>>();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            var present = new HashSet<string>(StringComparer.Ordinal);
            using (var names = connection.CreateCommand())
            {
                names.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
                using var reader = names.ExecuteReader();
                while (reader.Read())
                {
                    present.Add(reader.GetString(0));
                }
            }

            foreach (var table in XcatSchema.All.Where(t => present.Contains(t.Name)))
            {
                using var select = connection.CreateCommand();
                select.CommandText = $"SELECT {string.Join(", ", table.Columns.Select(TableBackend.Quote))} FROM {TableBackend.Quote(table.Name)} ORDER BY rowid";
                var rows = new List<TableRow>();
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(new TableRow(table, [.. Enumerable.Range(0, table.Columns.Count).Select(i => reader.IsDBNull(i) ? null : reader.GetString(i))]));
                }

                result[table] = rows;
            }
        }
        catch (SqliteException e)
        {
            throw new XcatException($"Cannot read the tables of {path} to move them into one file per table: {e.Message}", 1, null, e);
        }

        return result;
    }
}
