using System.Data.Common;
using System.Globalization;
using System.Text;

namespace XcatImageBuild.Tables;

/// <summary>
/// Reads and changes tables inside one transaction of <see cref="XcatDatabase"/>. Values are strings or NULL, as
/// in xCAT's own tables; the same statements run on SQLite and on PostgreSQL.
/// </summary>
/// <remarks>
/// A command over thousands of objects asks for thousands of rows one key at a time. So the session reads a table
/// whole once it has been asked for more than a few rows of it (or for all of them), and answers every later read of
/// that table from what it read; and it holds its changes back, sending each table's as few statements as it can
/// (<see cref="TableBackend.Send"/>) before that table is next read from the database and before the transaction
/// commits. Inside the transaction nothing else changes the rows (writers queue on the backend's write lock), so every
/// answer is the one the database would give, and the rows end as the statements one by one would leave them, in
/// the same order.
/// </remarks>
public sealed class TableSession
{
    /// <summary>Single-row reads of a table before the session reads it whole.</summary>
    internal const int PointReads = 8;

    private readonly Func<TableSchema, DbConnection> _connectionOf;
    private readonly DbTransaction? _transaction;
    private readonly TableBackend _backend;
    private readonly Action<TableSchema> _touch;
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TableState> _tables = new(StringComparer.Ordinal);

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
        return Load(table).Rows;
    }

    /// <summary>The row whose key columns equal <paramref name="key"/> (in the table's key order), or null.</summary>
    public TableRow? Find(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckKeyCount(table, key);
        if (Cached(table) is { } cache)
        {
            return cache.Find(TableCache.KeyOf(key));
        }

        var sql = $"SELECT {ColumnList(table)} FROM {_backend.TableName(table)} WHERE {KeyCondition(table, 0)}";
        return Read(table, Command(table, sql, key), flagged: false).Select(r => r.Row).SingleOrDefault();
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>, in storage order.</summary>
    public IReadOnlyList<TableRow> Where(TableSchema table, string column, string value)
    {
        ArgumentNullException.ThrowIfNull(table);
        var index = table.IndexOf(column);
        if (Cached(table) is { } cache)
        {
            return [.. cache.Rows.Where(r => string.Equals(r.Values[index], value, StringComparison.Ordinal))];
        }

        var sql = _backend.SelectInOrder(table, ColumnList(table, "t."), $"t.{TableBackend.Quote(column)} = @p0");
        return [.. Read(table, Command(table, sql, [value]), flagged: false).Select(r => r.Row)];
    }

    /// <summary>
    /// xCAT's setAttribs: creates the row with this key if it is missing, then sets the given columns and leaves the
    /// others as they are. A null value stores NULL. Sent as an insert that updates the row when it exists, with the
    /// session's other held-back changes.
    /// </summary>
    /// <exception cref="XcatException">A column is not in the table, or a key is longer than xCAT's tables hold.</exception>
    public void Set(TableSchema table, IReadOnlyList<string> key, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(values);
        CheckKeyCount(table, key);
        var columns = new List<KeyValuePair<int, string?>>(values.Count);
        foreach (var (column, value) in values)
        {
            var index = table.IndexOf(column);
            if (!table.Keys.Contains(column))
            {
                columns.Add(new(index, value));
            }
        }

        CheckKeyLength(table, key);
        var state = State(table);
        var keyText = TableCache.KeyOf(key);
        string[] keyValues = [.. key];
        state.Pending.Upsert(keyText, keyValues, columns);
        state.Cache?.Upsert(keyText, keyValues, columns);
    }

    /// <summary>Deletes the row with this key; returns whether there was one.</summary>
    public bool Delete(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        CheckKeyCount(table, key);
        if (Cached(table) is not { } cache)
        {
            var sql = _backend.ForgettingOrder(
                table, [.. table.Keys.Select((_, i) => Parameter(i))], $"DELETE FROM {_backend.TableName(table)} WHERE {KeyCondition(table, 0)}");
            return Execute(Command(table, sql, key)) > 0;
        }

        var keyText = TableCache.KeyOf(key);
        var present = cache.Remove(keyText);

        // On PostgreSQL a delete also forgets a place left recorded for a key whose row xCAT deleted itself.
        if (present || _backend.ForgetsAbsentRows)
        {
            State(table).Pending.Delete(keyText, [.. key]);
        }

        return present;
    }

    /// <summary>Removes every row of a table.</summary>
    public void Clear(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var state = State(table);
        state.Pending.Clear();
        state.Cache = new TableCache(table);
    }

    /// <summary>Adds a whole row as it is (tabrestore, restorexCATdb); its key must not be in the table yet.</summary>
    /// <exception cref="XcatException">A key is longer than xCAT's tables hold.</exception>
    public void Insert(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var table = row.Table;
        CheckKeyLength(table, [.. table.Keys.Select(k => row[k] ?? string.Empty)]);
        var state = State(table);
        var keyText = TableCache.KeyOf([.. table.Keys.Select(k => row[k] ?? string.Empty)]);
        state.Pending.Insert(keyText, row);
        state.Cache?.Insert(row);
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

    /// <summary>Sends every held change; the backend calls it before it commits.</summary>
    internal void Flush()
    {
        foreach (var state in _tables.Values)
        {
            Flush(state);
        }
    }

    /// <summary>Runs one statement the backend built (its parameters named <c>@p0</c>, <c>@p1</c>...); returns the rows it changed.</summary>
    internal int Execute(TableSchema table, string sql, IReadOnlyList<object?> values) => Execute(Command(table, sql, values));

    internal void DisposeCommands()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
    }

    internal static string Parameter(int index) => "@p" + index.ToString(CultureInfo.InvariantCulture);

    internal static string ColumnList(TableSchema table, string prefix = "") => string.Join(", ", table.Columns.Select(c => prefix + TableBackend.Quote(c)));

    /// <summary>The single-row statement for one held write (SQLite sends each so, prepared once per shape).</summary>
    internal string Statement(TableSchema table, TableWrite write)
    {
        var name = _backend.TableName(table);
        var keys = table.Keys.Select((_, i) => Parameter(i)).ToList();
        switch (write.Kind)
        {
            case TableWriteKind.Upsert:
            {
                var changes = write.Columns.Select(c => table.Columns[c]).ToList();
                var columns = table.Keys.Concat(changes).ToList();
                var sql = new StringBuilder()
                    .Append("INSERT INTO ").Append(name)
                    .Append(" (").AppendJoin(", ", columns.Select(TableBackend.Quote)).Append(") VALUES (")
                    .AppendJoin(", ", columns.Select((_, i) => Parameter(i))).Append(") ON CONFLICT (")
                    .AppendJoin(", ", table.Keys.Select(TableBackend.Quote)).Append(')');
                sql.Append(changes.Count == 0
                    ? " DO NOTHING"
                    : " DO UPDATE SET " + string.Join(", ", changes.Select(c => $"{TableBackend.Quote(c)} = excluded.{TableBackend.Quote(c)}")));
                return _backend.RecordingOrder(table, keys, sql.ToString());
            }

            case TableWriteKind.Insert:
                return _backend.RecordingOrder(
                    table,
                    [.. table.Keys.Select(k => Parameter(table.IndexOf(k)))],
                    $"INSERT INTO {name} ({ColumnList(table)}) VALUES ({string.Join(", ", table.Columns.Select((_, i) => Parameter(i)))})");
            case TableWriteKind.Delete:
                return _backend.ForgettingOrder(table, keys, $"DELETE FROM {name} WHERE {KeyCondition(table, 0)}");
            default:
                return _backend.ForgettingOrder(table, null, $"DELETE FROM {name}");
        }
    }

    /// <summary>The parameters of <see cref="Statement"/> for one held write.</summary>
    internal static IReadOnlyList<object?> StatementValues(TableWrite write) => write.Kind switch
    {
        TableWriteKind.Upsert => [.. write.Key, .. write.Values],
        TableWriteKind.Insert => [.. write.Values],
        TableWriteKind.Delete => [.. write.Key],
        _ => [],
    };

    private TableState State(TableSchema table)
    {
        _touch(table);
        if (!_tables.TryGetValue(table.Name, out var state))
        {
            _tables[table.Name] = state = new TableState(table);
        }

        return state;
    }

    /// <summary>The table's rows when the session holds them, reading them now when it has read enough single rows.</summary>
    private TableCache? Cached(TableSchema table)
    {
        var state = State(table);
        if (state.Cache is null && ++state.Reads > PointReads)
        {
            return Load(table);
        }

        // A single-row read goes to the database, which must see the changes held back first.
        if (state.Cache is null)
        {
            Flush(state);
        }

        return state.Cache;
    }

    private TableCache Load(TableSchema table)
    {
        var state = State(table);
        if (state.Cache is { } cache)
        {
            return cache;
        }

        Flush(state);
        cache = new TableCache(table);
        foreach (var (row, recorded) in Read(table, Command(table, _backend.SelectAll(table), []), flagged: true))
        {
            cache.Load(row, recorded);
        }

        state.Cache = cache;
        return cache;
    }

    private void Flush(TableState state)
    {
        if (state.Pending.IsEmpty)
        {
            return;
        }

        foreach (var run in state.Pending.TakeRuns())
        {
            _backend.Send(this, state.Table, run);
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
    private DbCommand Command(TableSchema table, string sql, IReadOnlyList<object?> values)
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
                command.Parameters.Add(parameter);
            }

            _commands[sql] = command;
        }

        for (var i = 0; i < values.Count; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command;
    }

    private int Execute(DbCommand command)
    {
        _backend.CountQuery();
        return command.ExecuteNonQuery();
    }

    // flagged: the statement has one more column, whether the row's place in insertion order is recorded.
    private List<(TableRow Row, bool Recorded)> Read(TableSchema table, DbCommand command, bool flagged)
    {
        _backend.CountQuery();
        var rows = new List<(TableRow, bool)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var values = new string?[table.Columns.Count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            rows.Add((new TableRow(table, values), !flagged || reader.GetBoolean(values.Length)));
        }

        return rows;
    }

    private static string KeyCondition(TableSchema table, int first) =>
        string.Join(" AND ", table.Keys.Select((k, i) => $"{TableBackend.Quote(k)} = {Parameter(first + i)}"));

    /// <summary>What the session holds of one table: its rows once read whole, the single rows read so far, the changes held back.</summary>
    private sealed class TableState(TableSchema table)
    {
        public TableSchema Table { get; } = table;

        public TableCache? Cache { get; set; }

        public int Reads { get; set; }

        public PendingWrites Pending { get; } = new();
    }
}
