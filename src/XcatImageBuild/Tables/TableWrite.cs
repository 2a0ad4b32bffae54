namespace XcatImageBuild.Tables;

/// <summary>What a <see cref="TableWrite"/> does to its row.</summary>
internal enum TableWriteKind
{
    /// <summary>xCAT's setAttribs: creates the row when it is missing, then sets the given columns.</summary>
    Upsert,

    /// <summary>Deletes the row with the key.</summary>
    Delete,

    /// <summary>Adds a whole row whose key is not in the table yet.</summary>
    Insert,

    /// <summary>Deletes every row of the table.</summary>
    Clear,
}

/// <summary>
/// One change to one table that a <see cref="TableSession"/> has not sent to the database yet. An upsert holds the
/// key and the columns it sets (in schema order); an insert every column; a delete the key; a clear nothing.
/// </summary>
internal sealed class TableWrite
{
    private readonly SortedList<int, string?> _columns;

    public TableWrite(TableWriteKind kind, IReadOnlyList<string> key, SortedList<int, string?> columns)
    {
        Kind = kind;
        Key = key;
        _columns = columns;
    }

    public TableWriteKind Kind { get; }

    /// <summary>The row's key values in the table's key order (empty for a clear).</summary>
    public IReadOnlyList<string> Key { get; }

    /// <summary>The indexes (in the table's columns) of the columns written, ascending.</summary>
    public IList<int> Columns => _columns.Keys;

    /// <summary>The values written, one per <see cref="Columns"/> entry.</summary>
    public IList<string?> Values => _columns.Values;

    /// <summary>
    /// Writes with the same shape can go to the database as one statement: the same kind and, for an upsert, the
    /// same columns.
    /// </summary>
    public string Shape => Kind == TableWriteKind.Upsert ? "u:" + string.Join(',', Columns) : Kind.ToString();

    /// <summary>Folds a later upsert of the same row into this one: its values win.</summary>
    public void Merge(IEnumerable<KeyValuePair<int, string?>> columns)
    {
        foreach (var (column, value) in columns)
        {
            _columns[column] = value;
        }
    }
}
