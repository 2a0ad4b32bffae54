namespace XcatImageBuild.Tables;

/// <summary>One row of an xCAT table: a value or null per column, in schema order.</summary>
public sealed class TableRow
{
    private readonly string?[] _values;

    public TableRow(TableSchema table, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != table.Columns.Count)
        {
            throw new ArgumentException($"A row of '{table.Name}' needs {table.Columns.Count} values.", nameof(values));
        }

        Table = table;
        _values = [.. values];
    }

    public TableSchema Table { get; }

    /// <summary>The value of a column; null when it is NULL in the database.</summary>
    public string? this[string column] => _values[Table.IndexOf(column)];

    public IReadOnlyList<string?> Values => _values;

    /// <summary>xCAT hides rows whose <c>disable</c> is <c>1</c> or <c>yes</c> from every command but tabdump.</summary>
    public bool IsDisabled
    {
        get
        {
            if (!Table.HasColumn("disable"))
            {
                return false;
            }

            var disable = this["disable"];
            return disable is "1" || string.Equals(disable, "yes", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>The non-empty columns, as xCAT's getAttribs returns them (empty and NULL values are dropped).</summary>
    public IReadOnlyDictionary<string, string> NonEmpty()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < _values.Length; i++)
        {
            if (!string.IsNullOrEmpty(_values[i]))
            {
                result[Table.Columns[i]] = _values[i]!;
            }
        }

        return result;
    }
}
