using System.Data.Common;

namespace XcatImageBuild.Tables;

/// <summary>
/// Where a site's tables are stored: one SQLite file per table (<see cref="SqliteTables"/>) or one PostgreSQL
/// database (<see cref="PostgresTables"/>). A backend runs a unit of work in one transaction and knows its SQL dialect;
/// <see cref="TableSession"/> holds the statements both share.
/// </summary>
internal abstract class TableBackend
{
    /// <summary>xCAT declares every key column <c>VARCHAR(128)</c> (Table.pm buildcreatestmt), so no backend stores a longer key.</summary>
    public const int KeyLength = 128;

    /// <summary>What the backend is, for messages: the table directory or the server and its cfgloc.</summary>
    public abstract string Description { get; }

    /// <summary>Statements run so far by this backend (every SELECT, INSERT, UPDATE and DELETE of a session).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    private static long _allQueries;

    private long _queries;

    /// <summary>Statements run by every backend of this process.</summary>
    public static long AllQueries => Interlocked.Read(ref _allQueries);

    internal void CountQuery()
    {
        Interlocked.Increment(ref _queries);
        Interlocked.Increment(ref _allQueries);
    }

    /// <summary>Creates the tables that are missing and checks the existing ones are readable tables.</summary>
    public abstract void EnsureSchema();

    /// <summary>Runs <paramref name="work"/> in one transaction: a write one when <paramref name="write"/> is set.</summary>
    public abstract T Run<T>(Func<TableSession, T> work, bool write);

    /// <summary>
    /// Replaces the whole content of the given tables at once: every table holds exactly its new rows afterwards, or,
    /// when anything fails, every table is as it was.
    /// </summary>
    public abstract void ReplaceAll(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables);

    /// <summary>The table's name in SQL (quoted, and qualified where the backend needs it).</summary>
    public abstract string TableName(TableSchema table);

    /// <summary>A SELECT of the given columns of a table (alias <c>t</c>), rows in insertion order, then <paramref name="where"/> applied.</summary>
    public abstract string SelectInOrder(TableSchema table, string columns, string? where);

    /// <summary>
    /// A SELECT of every row of a table in insertion order, each with one more column: whether the row's place in that
    /// order is recorded (always, where the backend keeps the order itself).
    /// </summary>
    public virtual string SelectAll(TableSchema table) => SelectInOrder(table, TableSession.ColumnList(table, "t.") + ", 1", null);

    /// <summary>Whether deleting a key whose row is absent still changes something (a recorded place), so it must be sent.</summary>
    public virtual bool ForgetsAbsentRows => false;

    /// <summary>
    /// Sends a run of held writes of one shape (<see cref="TableWrite.Shape"/>), in order. Here each is one statement,
    /// prepared once for the run; a backend where every statement is a round trip to a server sends the run as one.
    /// </summary>
    public virtual void Send(TableSession session, TableSchema table, IReadOnlyList<TableWrite> run)
    {
        var sql = session.Statement(table, run[0]);
        foreach (var write in run)
        {
            session.Execute(table, sql, TableSession.StatementValues(write));
        }
    }

    /// <summary>
    /// Turns a statement that may add a row into one that also records the row's place in insertion order, where the
    /// backend does not keep that order itself; <paramref name="key"/> lists the parameters holding the row's key.
    /// </summary>
    public virtual string RecordingOrder(TableSchema table, IReadOnlyList<string> key, string statement) => statement;

    /// <summary>Turns a DELETE into one that also forgets the deleted rows' places (null key: every row of the table).</summary>
    public virtual string ForgettingOrder(TableSchema table, IReadOnlyList<string>? key, string statement) => statement;

    /// <summary>Turns a failure of the database driver into the error the user sees.</summary>
    public abstract XcatException Failure(DbException error);

    /// <summary>xCAT 2.18's CREATE TABLE for a table (Table.pm buildcreatestmt): keys VARCHAR(128) NOT NULL, the rest TEXT.</summary>
    public static string CreateStatement(string qualifiedName, TableSchema table)
    {
        var columns = table.Columns.Select(c => $"{Quote(c)} {ColumnType(table, c)}");
        return $"CREATE TABLE IF NOT EXISTS {qualifiedName} ({string.Join(", ", columns)}, " +
            $"PRIMARY KEY ({string.Join(", ", table.Keys.Select(Quote))}))";
    }

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string ColumnType(TableSchema table, string column)
    {
        if (table.Keys.Contains(column))
        {
            return $"VARCHAR({KeyLength}) NOT NULL";
        }

        // Schema.pm gives osimage.osupdatename its own type; every other non-key column is TEXT (xcat-spec §13).
        return table.Name == "osimage" && column == "osupdatename" ? "VARCHAR(1024)" : "TEXT";
    }
}
