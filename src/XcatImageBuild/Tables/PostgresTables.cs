using System.Data.Common;
using System.Globalization;
using Npgsql;

namespace XcatImageBuild.Tables;

/// <summary>
/// The tables in PostgreSQL as xCAT lays them out (Table.pm buildcreatestmt): one table per xCAT table in the
/// database the cfgloc names, keys <c>VARCHAR(128)</c>, other columns <c>TEXT</c>, every column name double-quoted,
/// a composite primary key. Every unit of work is one transaction; writers queue on one advisory lock as SQLite's
/// writers queue on its write lock, and readers see one snapshot.
/// </summary>
/// <remarks>
/// PostgreSQL keeps no insertion order (an UPDATE writes a new row version elsewhere in the table), but tabdump prints
/// rows in insertion order on SQLite. So that both backends print the same bytes, one more table,
/// <c>xcatimg_roworder</c>, numbers each row the first time it is written, in the same statement that writes it;
/// reads order by that number, and rows written by xCAT itself come after, in storage order. xCAT ignores tables its
/// schema does not name.
/// </remarks>
internal sealed class PostgresTables : TableBackend
{
    /// <summary>The advisory lock every writer takes: "xcat" in ASCII.</summary>
    private const long WriterLock = 0x78636174;

    private const string OrderTable = "xcatimg_roworder";

    /// <summary>One pool per server, database and user for the whole process: every open of a site shares it.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> Sources = new(StringComparer.Ordinal);

    private readonly NpgsqlDataSource _source;

    public PostgresTables(Cfgloc cfgloc)
    {
        Cfgloc = cfgloc;
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = cfgloc.Host,
            Port = cfgloc.Port,
            Database = cfgloc.Database,
            Username = cfgloc.User,
            Password = cfgloc.Password,
            Timeout = 10,
            CommandTimeout = 0,
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
            ApplicationName = "xcatimg",
            ConnectionIdleLifetime = 10,
        };
        _source = Sources.GetOrAdd(builder.ConnectionString, NpgsqlDataSource.Create);
    }

    public Cfgloc Cfgloc { get; }

    public override string Description => $"the PostgreSQL database {Cfgloc.Database} on {Cfgloc.Host}:{Cfgloc.Port.ToString(CultureInfo.InvariantCulture)}";

    public override string SelectInOrder(TableSchema table, string columns, string? where) =>
        $"SELECT {columns} FROM {TableName(table)} t LEFT JOIN {OrderTable} o ON o.\"table\" = '{table.Name}' " +
        $"AND o.\"key\" = {KeyText(table.Keys.Select(k => "t." + Quote(k)))}{(where is null ? string.Empty : " WHERE " + where)} " +
        "ORDER BY o.seq NULLS LAST, t.ctid";

    public override string RecordingOrder(TableSchema table, IReadOnlyList<string> key, string statement) =>
        $"WITH recorded AS (INSERT INTO {OrderTable} (\"table\", \"key\") VALUES ('{table.Name}', {KeyText(key)}) ON CONFLICT DO NOTHING) {statement}";

    public override string ForgettingOrder(TableSchema table, IReadOnlyList<string>? key, string statement) =>
        $"WITH forgotten AS (DELETE FROM {OrderTable} WHERE \"table\" = '{table.Name}'" +
        $"{(key is null ? string.Empty : $" AND \"key\" = {KeyText(key)}")}) {statement}";

    public override string SelectAll(TableSchema table) => SelectInOrder(table, TableSession.ColumnList(table, "t.") + ", o.seq IS NOT NULL", null);

    public override bool ForgetsAbsentRows => true;

    /// <summary>
    /// Sends a run of writes as one statement, whatever its length: the run's values go as one text array per column,
    /// unnested in order, so a chdef of 10,000 nodes is one round trip. Rows are added in the run's order, and their
    /// places recorded in that order, as the statements one by one would.
    /// </summary>
    public override void Send(TableSession session, TableSchema table, IReadOnlyList<TableWrite> run)
    {
        var first = run[0];
        if (first.Kind == TableWriteKind.Clear)
        {
            base.Send(session, table, run);
            return;
        }

        // The columns the run carries: the key for a delete, the key and the columns set for an upsert, all for an insert.
        var columns = first.Kind switch
        {
            TableWriteKind.Delete => [.. table.Keys],
            TableWriteKind.Upsert => [.. table.Keys, .. first.Columns.Select(c => table.Columns[c])],
            _ => table.Columns.ToList(),
        };
        var arrays = columns.Select(_ => new string?[run.Count]).ToArray();
        for (var r = 0; r < run.Count; r++)
        {
            var write = run[r];
            var values = first.Kind switch
            {
                TableWriteKind.Delete => [.. write.Key],
                TableWriteKind.Upsert => [.. write.Key, .. write.Values],
                _ => write.Values.ToList(),
            };
            for (var c = 0; c < columns.Count; c++)
            {
                arrays[c][r] = values[c];
            }
        }

        var aliases = columns.Select((_, i) => "c" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        var unnest = $"WITH v AS (SELECT * FROM unnest({string.Join(", ", columns.Select((_, i) => TableSession.Parameter(i) + "::text[]"))}) " +
            $"WITH ORDINALITY AS v({string.Join(", ", aliases)}, ord))";
        var keyText = KeyText(table.Keys.Select(k => "v." + aliases[columns.IndexOf(k)]));
        var name = TableName(table);
        string sql;
        if (first.Kind == TableWriteKind.Delete)
        {
            sql = $"{unnest}, forgotten AS (DELETE FROM {OrderTable} o USING v WHERE o.\"table\" = '{table.Name}' AND o.\"key\" = {keyText}) " +
                $"DELETE FROM {name} t USING v WHERE {string.Join(" AND ", table.Keys.Select((k, i) => $"t.{Quote(k)} = v.{aliases[i]}"))}";
        }
        else
        {
            var changes = columns.Where(c => !table.Keys.Contains(c)).ToList();
            var conflict = first.Kind == TableWriteKind.Insert
                ? string.Empty
                : $" ON CONFLICT ({string.Join(", ", table.Keys.Select(Quote))}) " + (changes.Count == 0
                    ? "DO NOTHING"
                    : "DO UPDATE SET " + string.Join(", ", changes.Select(c => $"{Quote(c)} = excluded.{Quote(c)}")));
            sql = $"{unnest}, recorded AS (INSERT INTO {OrderTable} (\"table\", \"key\") SELECT '{table.Name}', {keyText} FROM v ORDER BY v.ord ON CONFLICT DO NOTHING) " +
                $"INSERT INTO {name} ({string.Join(", ", columns.Select(Quote))}) SELECT {string.Join(", ", aliases.Select(a => "v." + a))} FROM v ORDER BY v.ord{conflict}";
        }

        session.Execute(table, sql, arrays);
    }

    // The key columns joined by the unit separator, which no xCAT key contains.
    private static string KeyText(IEnumerable<string> parts) => $"concat_ws(E'\\x1f', {string.Join(", ", parts.Select(p => p + "::text"))})";

    public override string TableName(TableSchema table) => Quote(table.Name);

    public override void EnsureSchema() => Guard(() =>
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Exec(connection, $"SELECT pg_advisory_xact_lock({WriterLock.ToString(CultureInfo.InvariantCulture)})");
        foreach (var table in XcatSchema.All)
        {
            Exec(connection, CreateStatement(TableName(table), table));
        }

        Exec(connection, $"CREATE TABLE IF NOT EXISTS {OrderTable} (\"table\" VARCHAR(128) NOT NULL, \"key\" TEXT NOT NULL, seq BIGSERIAL, PRIMARY KEY (\"table\", \"key\"))");

        transaction.Commit();
        return 0;
    });

    public override T Run<T>(Func<TableSession, T> work, bool write) => Guard(() =>
    {
        using var connection = _source.OpenConnection();
        using var transaction = connection.BeginTransaction(write ? System.Data.IsolationLevel.ReadCommitted : System.Data.IsolationLevel.RepeatableRead);
        if (write)
        {
            Exec(connection, $"SELECT pg_advisory_xact_lock({WriterLock.ToString(CultureInfo.InvariantCulture)})");
        }

        var session = new TableSession(connection, transaction, this, _ => { });
        T result;
        try
        {
            result = work(session);
            session.Flush();
        }
        finally
        {
            session.DisposeCommands();
        }

        transaction.Commit();
        return result;
    });

    public override void ReplaceAll(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables) =>
        Run(session => SqliteTables.Fill(session, tables), write: true);

    public override XcatException Failure(DbException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var server = $"{Cfgloc.Host}:{Cfgloc.Port.ToString(CultureInfo.InvariantCulture)}";
        return error switch
        {
            PostgresException pg when pg.SqlState is "22001" => new XcatException(
                $"A value is too long for {Description}: {pg.MessageText}", 1, null, error),
            PostgresException pg => new XcatException(
                $"The PostgreSQL server {server} (database {Cfgloc.Database}, user {Cfgloc.User}, from {Cfgloc.Source}) refused: {pg.MessageText}", 1, null, error),
            _ => new XcatException(
                $"Cannot reach the PostgreSQL server {server} named in {Cfgloc.Source}: {Innermost(error).Message}", 1, null, error),
        };
    }

    private T Guard<T>(Func<T> work)
    {
        try
        {
            return work();
        }
        catch (NpgsqlException e)
        {
            throw Failure(e);
        }
        catch (TimeoutException e)
        {
            throw new XcatException($"Cannot reach the PostgreSQL server {Cfgloc.Host}:{Cfgloc.Port.ToString(CultureInfo.InvariantCulture)} named in {Cfgloc.Source}: {e.Message}", 1, null, e);
        }
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static void Exec(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
