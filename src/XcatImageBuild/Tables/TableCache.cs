namespace XcatImageBuild.Tables;

/// <summary>
/// Every row of one table as a session has read and changed it, in storage order and by key, so a command that looks
/// at thousands of rows reads the table once. It keeps the order the database keeps: a changed row stays where it is,
/// a new row comes after the others, and a deleted and re-added row comes last. On PostgreSQL rows that have no place
/// recorded yet (written by xCAT itself) come after every recorded row, and take a place, after the recorded rows,
/// when they are first changed (see <see cref="PostgresTables"/>).
/// </summary>
internal sealed class TableCache
{
    private readonly List<Slot?> _recorded = [];
    private readonly List<Slot?> _unrecorded = [];
    private readonly Dictionary<string, Slot> _byKey = new(StringComparer.Ordinal);
    private List<TableRow>? _rows;

    public TableCache(TableSchema table)
    {
        Table = table;
    }

    public TableSchema Table { get; }

    /// <summary>The rows in storage order; a list that later changes leave as it is.</summary>
    public IReadOnlyList<TableRow> Rows => _rows ??=
        [.. _recorded.Concat(_unrecorded).Where(s => s is not null).Select(s => s!.Row)];

    /// <summary>The key text of a row's key values: joined by the unit separator, which no xCAT key contains.</summary>
    public static string KeyOf(IReadOnlyList<string> key) => key.Count == 1 ? key[0] : string.Join('\u001f', key);

    public string KeyOf(TableRow row) => KeyOf([.. Table.Keys.Select(k => row[k] ?? string.Empty)]);

    /// <summary>Adds a row as read from the database, after the rows read before it.</summary>
    public void Load(TableRow row, bool recorded)
    {
        var list = recorded ? _recorded : _unrecorded;
        var slot = new Slot(row, recorded, list.Count);
        list.Add(slot);
        _byKey[KeyOf(row)] = slot;
        _rows = null;
    }

    public TableRow? Find(string key) => _byKey.TryGetValue(key, out var slot) ? slot.Row : null;

    /// <summary>Sets columns of the row with this key, creating it (the other columns NULL) when it is missing.</summary>
    public void Upsert(string key, IReadOnlyList<string> keyValues, IEnumerable<KeyValuePair<int, string?>> columns)
    {
        string?[] values;
        if (_byKey.TryGetValue(key, out var slot))
        {
            values = [.. slot.Row.Values];
        }
        else
        {
            values = new string?[Table.Columns.Count];
            for (var i = 0; i < keyValues.Count; i++)
            {
                values[Table.IndexOf(Table.Keys[i])] = keyValues[i];
            }
        }

        foreach (var (column, value) in columns)
        {
            values[column] = value;
        }

        var row = new TableRow(Table, values);
        if (slot is { Recorded: true })
        {
            slot.Row = row;
        }
        else
        {
            if (slot is not null)
            {
                _unrecorded[slot.Index] = null;
            }

            Append(key, row);
        }

        _rows = null;
    }

    /// <summary>Adds a whole new row after the others.</summary>
    public void Insert(TableRow row)
    {
        Remove(KeyOf(row));
        Append(KeyOf(row), row);
    }

    /// <summary>Deletes the row with this key; returns whether there was one.</summary>
    public bool Remove(string key)
    {
        if (!_byKey.Remove(key, out var slot))
        {
            return false;
        }

        (slot.Recorded ? _recorded : _unrecorded)[slot.Index] = null;
        _rows = null;
        return true;
    }

    private void Append(string key, TableRow row)
    {
        var slot = new Slot(row, true, _recorded.Count);
        _recorded.Add(slot);
        _byKey[key] = slot;
        _rows = null;
    }

    private sealed class Slot(TableRow row, bool recorded, int index)
    {
        public TableRow Row { get; set; } = row;

        public bool Recorded { get; } = recorded;

        public int Index { get; } = index;
    }
}
