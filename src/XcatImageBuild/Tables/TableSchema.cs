namespace XcatImageBuild.Tables;

/// <summary>One xCAT table: its name, its columns in xCAT's order and the columns that form its key.</summary>
public sealed class TableSchema
{
    public TableSchema(string name, IReadOnlyList<string> columns, IReadOnlyList<string> keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Any(k => !columns.Contains(k)))
        {
            throw new ArgumentException($"Every key of table '{name}' must be one of its columns.", nameof(keys));
        }

        Name = name;
        Columns = columns;
        Keys = keys;
    }

    public string Name { get; }

    /// <summary>Columns in the order xCAT's Schema.pm lists them; tabdump prints them in this order.</summary>
    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<string> Keys { get; }

    public bool HasColumn(string column) => Columns.Contains(column, StringComparer.Ordinal);

    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new XcatException($"The column '{column}' is not a column of the '{Name}' table.");
    }
}
