using Microsoft.Data.Sqlite;

namespace XcatImageBuild.Tables;

/// <summary>
/// The site's xCAT tables in one SQLite file. Every read and every change runs in a transaction; a writer takes the
/// write lock at the start of its transaction (BEGIN IMMEDIATE) and a second writer waits for it instead of failing.
/// </summary>
public sealed class XcatDatabase
{
    /// <summary>How long a writer waits for another writer before giving up.</summary>
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromMinutes(2);

    private readonly string _connectionString;

    private XcatDatabase(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>The database file on disk.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens the database file, creating it and any missing table; an existing file must be a readable SQLite
    /// database. <paramref name="initialize"/> runs in the same transaction, right after the tables exist.
    /// </summary>
    /// <exception cref="XcatException">The file is unreadable, not a database or corrupt.</exception>
    public static XcatDatabase Open(string path, Action<TableSession>? initialize = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var database = new XcatDatabase(System.IO.Path.GetFullPath(path));
        database.Write(session =>
        {
            session.EnsureSchema();
            initialize?.Invoke(session);
            return 0;
        });
        return database;
    }

    /// <summary>Runs <paramref name="read"/> in a read transaction: it sees one consistent state of every table.</summary>
    public T Read<T>(Func<TableSession, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Run(read, "BEGIN DEFERRED");
    }

    /// <summary>
    /// Runs <paramref name="change"/> in one write transaction: all its changes land together, or none does when it
    /// throws.
    /// </summary>
    public T Write<T>(Func<TableSession, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        return Run(change, "BEGIN IMMEDIATE");
    }

    /// <summary>Every row of a table, in insertion order.</summary>
    public IReadOnlyList<TableRow> ReadAll(TableSchema table) => Read(s => s.ReadAll(table));

    /// <summary>The row with this key, or null.</summary>
    public TableRow? Find(TableSchema table, params string[] key) => Read(s => s.Find(table, key));

    private T Run<T>(Func<TableSession, T> work, string begin)
    {
        try
        {
            using var connection = new SqliteConnection(_connectionString);
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = $"PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};";
                pragma.ExecuteNonQuery();
            }

            using (var command = connection.CreateCommand())
            {
                command.CommandText = begin;
                command.ExecuteNonQuery();
            }

            var session = new TableSession(connection);
            T result;
            try
            {
                result = work(session);
            }
            catch
            {
                Execute(connection, "ROLLBACK");
                throw;
            }

            Execute(connection, "COMMIT");
            return result;
        }
        catch (SqliteException e)
        {
            throw new XcatException($"Cannot use the xCAT database {Path}: {e.Message}", 1, null, e);
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
