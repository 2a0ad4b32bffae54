using System.Globalization;
using Microsoft.Data.Sqlite;

namespace XcatImageBuild.Tables;

/// <summary>
/// Reads and changes tables inside one transaction of <see cref="XcatDatabase"/>. Values are strings or NULL, as
/// in xCAT's own SQLite tables.
/// </summary>
public sealed class TableSession
{
    private readonly SqliteConnection _connection;

    internal TableSession(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>Every row of a table, disabled ones included, in insertion order (xCAT's tabdump order).</summary>
    public IReadOnlyList<TableRow> ReadAll(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnList(table)} FROM {Quote(table.Name)} ORDER BY rowid";
        return ReadRows(table, command);
    }

    /// <summary>The row whose key columns equal <paramref name="key"/> (in the table's key order), or null.</summary>
    public TableRow? Find(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnList(table)} FROM {Quote(table.Name)} WHERE {KeyCondition(table, key, command)}";
        return ReadRows(table, command).SingleOrDefault();
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>, in insertion order.</summary>
    public IReadOnlyList<TableRow> Where(TableSchema table, string column, string value)
    {
        ArgumentNullException.ThrowIfNull(table);
        table.IndexOf(column);
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT {ColumnList(table)} FROM {Quote(table.Name)} WHERE {Quote(column)} = $v ORDER BY rowid";
        command.Parameters.AddWithValue("$v", value);
        return ReadRows(table, command);
    }

    /// <summary>
    /// xCAT's setAttribs: creates the row with this key if it is missing, then sets the given columns and leaves the
    /// others as they are. A null value stores NULL.
    /// </summary>
    /// <exception cref="XcatException">A column is not in the table.</exception>
    public void Set(TableSchema table, IReadOnlyList<string> key, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        foreach (var column in values.Keys)
        {
            table.IndexOf(column);
        }

        if (Find(table, [.. key]) is null)
        {
            using var insert = _connection.CreateCommand();
            var keyColumns = table.Keys;
            insert.CommandText =
                $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", keyColumns.Select(Quote))}) " +
                $"VALUES ({string.Join(", ", keyColumns.Select((_, i) => "$k" + i.ToString(CultureInfo.InvariantCulture)))})";
            for (var i = 0; i < keyColumns.Count; i++)
            {
                insert.Parameters.AddWithValue("$k" + i.ToString(CultureInfo.InvariantCulture), key[i]);
            }

            insert.ExecuteNonQuery();
        }

        var changes = values.Where(v => !table.Keys.Contains(v.Key)).ToList();
        if (changes.Count == 0)
        {
            return;
        }

        using var update = _connection.CreateCommand();
        var assignments = changes.Select((c, i) => $"{Quote(c.Key)} = $v{i.ToString(CultureInfo.InvariantCulture)}");
        update.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", assignments)} WHERE {KeyCondition(table, key, update)}";
        for (var i = 0; i < changes.Count; i++)
        {
            update.Parameters.AddWithValue("$v" + i.ToString(CultureInfo.InvariantCulture), (object?)changes[i].Value ?? DBNull.Value);
        }

        update.ExecuteNonQuery();
    }

    /// <summary>Deletes the row with this key; returns whether there was one.</summary>
    public bool Delete(TableSchema table, params string[] key)
    {
        ArgumentNullException.ThrowIfNull(table);
        using var command = _connection.CreateCommand();
        command.CommandText = $"DELETE FROM {Quote(table.Name)} WHERE {KeyCondition(table, key, command)}";
        return command.ExecuteNonQuery() > 0;
    }

    /// <summary>Creates every table of <see cref="XcatSchema"/> that is missing, and the rows xCAT's installer writes.</summary>
    internal void EnsureSchema()
    {
        foreach (var table in XcatSchema.All)
        {
            using var command = _connection.CreateCommand();
            var columns = table.Columns.Select(c => table.Keys.Contains(c) ? $"{Quote(c)} TEXT NOT NULL" : $"{Quote(c)} TEXT");
            command.CommandText =
                $"CREATE TABLE IF NOT EXISTS {Quote(table.Name)} ({string.Join(", ", columns)}, " +
                $"PRIMARY KEY ({string.Join(", ", table.Keys.Select(Quote))}))";
            command.ExecuteNonQuery();
        }
    }

    private static List<TableRow> ReadRows(TableSchema table, SqliteCommand command)
    {
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

    private static string KeyCondition(TableSchema table, IReadOnlyList<string> key, SqliteCommand command)
    {
        if (key.Count != table.Keys.Count)
        {
            throw new ArgumentException($"The key of table '{table.Name}' has {table.Keys.Count} columns: {string.Join(", ", table.Keys)}.", nameof(key));
        }

        var conditions = new List<string>();
        for (var i = 0; i < key.Count; i++)
        {
            var name = "$key" + i.ToString(CultureInfo.InvariantCulture);
            conditions.Add($"{Quote(table.Keys[i])} = {name}");
            command.Parameters.AddWithValue(name, key[i]);
        }

        return string.Join(" AND ", conditions);
    }

    private static string ColumnList(TableSchema table) => string.Join(", ", table.Columns.Select(Quote));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
