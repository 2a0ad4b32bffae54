using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace XcatImageBuild.Tables;

/// <summary>
/// The tables as xCAT keeps them without a cfgloc: one SQLite file per table, <c>&lt;dir&gt;/&lt;table&gt;.sqlite</c>,
/// holding table <c>&lt;table&gt;</c> (Table.pm get_xcatcfg; xcat-spec §13).
/// </summary>
/// <remarks>
/// A transaction opens one connection on the first table file it uses and ATTACHes the others, so a change to several
/// tables commits through SQLite's own multi-file commit (a super-journal beside the main file): every file gets the
/// change or none does, a crash included. SQLite attaches at most 10 files to one connection, and not inside a
/// transaction, so the backend learns which tables a unit of work uses: when the work reaches a table that is not
/// attached, the transaction is rolled back and run again with that table attached. A unit of work over more than 11
/// tables (an lsdef of every type, an rmdef -a) runs on one connection per group of 11 files, each in its own
/// transaction, committed one after the other once the work is done: a failure rolls every group back, but a crash
/// between two commits can leave one group changed. Replacing every table at once (restorexCATdb, the move from the
/// single-file form) goes through <see cref="TableFileSwap"/>, which a crash cannot leave half-done.
/// </remarks>
internal sealed class SqliteTables : TableBackend
{
    /// <summary>The main file and SQLITE_MAX_ATTACHED (10) attached ones.</summary>
    internal const int TablesPerTransaction = 11;

    /// <summary>How long a writer waits for another writer before giving up.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromMinutes(2);

    private readonly object _gate = new();
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);
    private List<TableSchema> _attach;

    public SqliteTables(string directory)
    {
        Directory = directory;
        _attach = [XcatSchema.Site];
    }

    /// <summary>The directory holding the table files (a site's <c>etc/xcat</c>).</summary>
    public string Directory { get; }

    public override string Description => Directory;

    // SQLite returns a table's rows in rowid order, which is insertion order; xCAT's tabdump prints them so.
    public override string SelectInOrder(TableSchema table, string columns, string? where) =>
        $"SELECT {columns} FROM {TableName(table)} t{(where is null ? string.Empty : " WHERE " + where)} ORDER BY t.rowid";

    /// <summary>The file of one table.</summary>
    public string FileOf(TableSchema table) => Path.Combine(Directory, table.Name + ".sqlite");

    // Each file holds only its own table, and SQLite looks an unqualified name up in main and then in every attached
    // file, so the plain name finds the table wherever this connection attached it.
    public override string TableName(TableSchema table) => Quote(table.Name);

    public override void EnsureSchema()
    {
        foreach (var group in XcatSchema.All.Chunk(TablesPerTransaction))
        {
            using var connection = Connect(group);
        }
    }

    public override T Run<T>(Func<TableSession, T> work, bool write)
    {
        List<TableSchema> known;
        lock (_gate)
        {
            known = [.. _attach];
        }

        while (true)
        {
            TableSchema? missing = null;
            var groups = Groups(known);
            var connections = new List<SqliteConnection>();
            try
            {
                var connectionOf = new Dictionary<string, SqliteConnection>(StringComparer.Ordinal);
                foreach (var group in groups)
                {
                    var connection = Connect(group);
                    connections.Add(connection);
                    foreach (var table in group)
                    {
                        connectionOf[table.Name] = connection;
                    }
                }

                var result = InTransaction(connections, table => connectionOf[table.Name], work, write, table =>
                {
                    if (!connectionOf.ContainsKey(table.Name))
                    {
                        missing = table;
                        throw new TableNotAttachedException();
                    }
                });
                lock (_gate)
                {
                    _attach = known;
                }

                return result;
            }
            catch (TableNotAttachedException)
            {
                known = [.. known, missing!];
            }
            catch (SqliteException e)
            {
                throw Failure(e);
            }
            finally
            {
                foreach (var connection in connections)
                {
                    connection.Dispose();
                }
            }
        }
    }

    // Up to 11 tables share one connection (the first file with the others attached); more are split by name into
    // groups of 11, so every process takes the files' locks in the same order.
    private static List<List<TableSchema>> Groups(List<TableSchema> tables) => tables.Count <= TablesPerTransaction
        ? [tables]
        : [.. tables.OrderBy(t => t.Name, StringComparer.Ordinal).Chunk(TablesPerTransaction).Select(g => g.ToList())];

    public override void ReplaceAll(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables)
    {
        if (tables.Count <= TablesPerTransaction)
        {
            try
            {
                using var connection = Connect([.. tables.Keys]);
                InTransaction(connection, session => Fill(session, tables), write: true, _ => { });
                return;
            }
            catch (SqliteException e)
            {
                throw Failure(e);
            }
        }

        new TableFileSwap(this).Replace(tables);
    }

    public override XcatException Failure(DbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new XcatException($"Cannot use the xCAT tables in {Directory}: {error.Message}", 1, null, error);
    }

    /// <summary>Writes each table's rows into a fresh, empty file of its own (the staging side of a file swap).</summary>
    internal static void WriteFile(string path, TableSchema table, IReadOnlyList<TableRow> rows)
    {
        var staged = new SqliteTables(Path.GetDirectoryName(path)!);
        using var connection = Open(path);
        Exec(connection, CreateStatement(Quote("main") + "." + Quote(table.Name), table));
        staged.InTransaction(
            connection,
            session =>
            {
                foreach (var row in rows)
                {
                    session.Insert(row);
                }

                return 0;
            },
            write: true,
            _ => { });
    }

    internal static int Fill(TableSession session, IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables)
    {
        foreach (var (table, rows) in tables)
        {
            session.Clear(table);
            foreach (var row in rows)
            {
                session.Insert(row);
            }
        }

        return 0;
    }

    private T InTransaction<T>(SqliteConnection connection, Func<TableSession, T> work, bool write, Action<TableSchema> touch) =>
        InTransaction([connection], _ => connection, work, write, touch);

    private T InTransaction<T>(
        IReadOnlyList<SqliteConnection> connections, Func<TableSchema, SqliteConnection> connectionOf, Func<TableSession, T> work, bool write, Action<TableSchema> touch)
    {
        foreach (var connection in connections)
        {
            Exec(connection, write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
        }

        var session = new TableSession(connectionOf, null, this, touch);
        T result;
        try
        {
            result = work(session);
            session.Flush();
        }
        catch
        {
            session.DisposeCommands();
            foreach (var connection in connections)
            {
                Exec(connection, "ROLLBACK");
            }

            throw;
        }

        session.DisposeCommands();
        foreach (var connection in connections)
        {
            Exec(connection, "COMMIT");
        }

        return result;
    }

    /// <summary>A connection on the first table's file with the others attached, each table created when missing.</summary>
    private SqliteConnection Connect(IReadOnlyList<TableSchema> tables)
    {
        SqliteConnection connection;
        try
        {
            connection = Open(FileOf(tables[0]));
        }
        catch (SqliteException e) when (e.SqliteErrorCode is not 5)
        {
            throw Unopenable(tables[0], e);
        }

        try
        {
            Check(connection, "main", tables[0]);
            foreach (var table in tables.Skip(1))
            {
                using var attach = connection.CreateCommand();
                attach.CommandText = $"ATTACH DATABASE $file AS {Quote(table.Name)}";
                attach.Parameters.AddWithValue("$file", FileOf(table));
                try
                {
                    attach.ExecuteNonQuery();
                }
                catch (SqliteException e) when (e.SqliteErrorCode is not 5)
                {
                    throw Unopenable(table, e);
                }

                Check(connection, table.Name, table);
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private XcatException Unopenable(TableSchema table, SqliteException e) => e.SqliteErrorCode is 26 or 11
        ? new($"The table file {FileOf(table)} is not an SQLite database ({e.Message}).", 1, null, e)
        : new($"Cannot open the table file {FileOf(table)}: {e.Message}", 1, null, e);

    private void Check(SqliteConnection connection, string schema, TableSchema table)
    {
        lock (_gate)
        {
            if (_checked.Contains(table.Name))
            {
                return;
            }
        }

        try
        {
            using var exists = connection.CreateCommand();
            exists.CommandText = $"SELECT count(*) FROM {Quote(schema)}.sqlite_master WHERE type = 'table' AND name = $name";
            exists.Parameters.AddWithValue("$name", table.Name);
            if (Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                Exec(connection, CreateStatement(Quote(schema) + "." + Quote(table.Name), table));
            }
        }
        catch (SqliteException e) when (e.SqliteErrorCode is 26 or 11)
        {
            throw Unopenable(table, e);
        }

        lock (_gate)
        {
            _checked.Add(table.Name);
        }
    }

    private static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString());
        connection.Open();
        Exec(connection, $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds}");
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Thrown inside a unit of work when it reaches a table that is not attached; never leaves the backend.</summary>
    private sealed class TableNotAttachedException : Exception;
}
