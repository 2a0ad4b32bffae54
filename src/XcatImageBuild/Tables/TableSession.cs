using System.Data.Common;
using System.Globalization;
using System.Text;

namespace XcatImageBuild.Tables;

/// <summary>
/// Reads and changes tables inside one transaction of <see cref="XcatDatabase"/>. Values are strings or NULL, as
/// in xCAT's own tables; the same statements run on SQLite and on PostgreSQL.
/// </summary>
public sealed class TableSession
{
    private readonly Func<TableSchema, DbConnection> _connectionOf;
    private readonly DbTransaction? _transaction;
    private readonly TableBackend _backend;
    private readonly Action<TableSchema> _touch;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    internal TableSession(DbConnection connection, DbTransaction? transaction, TableBackend backend, Action<TableSchema> touch)
        : this(_ => connection, transaction, backend, touch)
    {
    }

    // connectionOf: the connection that holds a table (one per group of table files on SQLite).
    internal TableSession(Func<TableSchema, DbConnection> connectionOf, DbTransaction? transaction, TableBackend backend, Action<TableSchema> touch)
    {
        _connectionOf = connectionOf;
        _transaction = transaction;
        _backend = backend;
        _touch = touch;
    }

    /// <summary>Every row of a table, disabled ones included, in storage order (xCAT's tabdump order).</summary>
    public IReadOnlyList<TableRow> ReadAll(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return ReadRows(table, Command(table, _backend.SelectInOrder(table, ColumnList(table, "t."), null), []));
    }

    /// <summary>The row whose key columns equal <paramref name="key"/> (in the table's key order), or null.</summary>
    public TableRow? Find(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckKeyCount(table, key);
        var sql = $"SELECT {ColumnList(table)} FROM {_backend.TableName(table)} WHERE {KeyCondition(table, 0)}";
        return ReadRows(table, Command(table, sql, key)).SingleOrDefault();
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>, in storage order.</summary>
    public IReadOnlyList<TableRow> Where(TableSchema table, string column, string value)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.IndexOf(column);
        var sql = _backend.SelectInOrder(table, ColumnList(table, "t."), $"t.{TableBackend.Quote(column)} = @p0");
        return ReadRows(table, Command(table, sql, [value]));
    }

    /// <summary>
    /// xCAT's setAttribs: creates the row with this key if it is missing, then sets the given columns and leaves the
    /// others as they are. A null value stores NULL. One statement: an insert that updates the row when it exists.
    /// </summary>
    /// <exception cref="XcatException">A column is not in the table, or a key is longer than xCAT's tables hold.</exception>
    public void Set(TableSchema table, IReadOnlyList<string> key, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        CheckKeyCount(table, key);
        foreach (var column in values.Keys)
        {
            table.IndexOf(column);
        }

        CheckKeyLength(table, key);
        var changes = values.Where(v => !table.Keys.Contains(v.Key)).OrderBy(v => table.IndexOf(v.Key)).ToList();
        var columns = table.Keys.Concat(changes.Select(c => c.Key)).ToList();
        var sql = new StringBuilder()
            .Append("INSERT INTO ").Append(_backend.TableName(table))
            .Append(" (").AppendJoin(", ", columns.Select(TableBackend.Quote)).Append(") VALUES (")
            .AppendJoin(", ", columns.Select((_, i) => Parameter(i))).Append(") ON CONFLICT (")
            .AppendJoin(", ", table.Keys.Select(TableBackend.Quote)).Append(')');
        sql.Append(changes.Count == 0
            ? " DO NOTHING"
            : " DO UPDATE SET " + string.Join(", ", changes.Select(c => $"{TableBackend.Quote(c.Key)} = excluded.{TableBackend.Quote(c.Key)}")));
        var statement = _backend.RecordingOrder(table, [.. table.Keys.Select((_, i) => Parameter(i))], sql.ToString());
        Execute(Command(table, statement, [.. key, .. changes.Select(c => c.Value)]));
    }

    /// <summary>Deletes the row with this key; returns whether there was one.</summary>
    public bool Delete(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckKeyCount(table, key);
        var keyParameters = table.Keys.Select((_, i) => Parameter(i)).ToList();
        var sql = _backend.ForgettingOrder(table, keyParameters, $"DELETE FROM {_backend.TableName(table)} WHERE {KeyCondition(table, 0)}");
        return Execute(Command(table, sql, key)) > 0;
    }

    /// <summary>Removes every row of a table.</summary>
    public void Clear(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Execute(Command(table, _backend.ForgettingOrder(table, null, $"DELETE FROM {_backend.TableName(table)}"), []));
    }

    /// <summary>Adds a whole row as it is (tabrestore, restorexCATdb); its key must not be in the table yet.</summary>
    /// <exception cref="XcatException">A key is longer than xCAT's tables hold.</exception>
    public void Insert(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = row.Table;
        CheckKeyLength(table, [.. table.Keys.Select(k => row[k] ?? string.Empty)]);
        var sql = _backend.RecordingOrder(
            table,
            [.. table.Keys.Select(k => Parameter(table.IndexOf(k)))],
            $"INSERT INTO {_backend.TableName(table)} ({ColumnList(table)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => Parameter(i)))})");
        Execute(Command(table, sql, row.Values));
    }

    /// <summary>
    /// Refuses a key longer than <see cref="TableBackend.KeyLength"/> characters on every backend, so what one site
    /// accepts another accepts too (PostgreSQL's VARCHAR(128) would refuse it; SQLite would not).
    /// </summary>
    internal static void CheckKeyLength(TableSchema table, IReadOnlyList<string> key)
    {
        for (var i = 0; i < key.Count; i++)
        {
            var value = key[i] ?? string.Empty;
            if (value.EnumerateRunes().Count() > TableBackend.KeyLength)
            {
                throw new XcatException(
                    $"The {table.Keys[i]} '{value}' is {value.EnumerateRunes().Count()} characters long; the {table.Name} table holds keys of at most {TableBackend.KeyLength}.");
            }
        }
    }

    private static void CheckKeyCount(TableSchema table, IReadOnlyList<string> key)
    {
        if (key.Count != table.Keys.Count)
        {
            throw new ArgumentException($"The key of table '{table.Name}' has {table.Keys.Count} columns: {string.Join(", ", table.Keys)}.", nameof(key));
        }
    }

    // Statements are prepared once per session and reused with new values: a chdef of 10,000 nodes runs the same
    // few statements 10,000 times.
    private DbCommand Command(TableSchema table, string sql, IReadOnlyList<string?> values)
    {
        _touch(table);
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connectionOf(table).CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            for (var i = 0; i < values.Count; i++)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = Parameter(i);
                parameter.DbType = System.Data.DbType.String;
                command.Parameters.Add(parameter);
            }

            _commands[sql] = command;
        }

        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters[i].Value = (object?)values[i] ?? DBNull.Value;
        }

        return command;
    }

    private int Execute(DbCommand command)
    {
        _backend.CountQuery();
        return command.ExecuteNonQuery();
    }

    private List<TableRow> ReadRows(TableSchema table, DbCommand command)
    {
        _backend.CountQuery();
        var rows = new List<TableRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = new string?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            rows.Add(new TableRow(table, values));
        }

        return rows;
    }

    internal void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    private static string KeyCondition(TableSchema table, int first) =>
        string.Join(" AND ", table.Keys.Select((k, i) => $"{TableBackend.Quote(k)} = {Parameter(first + i)}"));

    private static string Parameter(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    private static string ColumnList(TableSchema table, string prefix = "") => string.Join(", ", table.Columns.Select(c => prefix + TableBackend.Quote(c)));
}
