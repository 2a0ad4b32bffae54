namespace XcatImageBuild.Tables;

/// <summary>
/// The changes to one table that a session holds back until it reads the table from the database or commits, in the
/// order they were made. A later upsert of a row that an earlier one already creates or changes is folded into the
/// earlier one, when no delete or insert of that row came between: the row is then created where the first upsert
/// would have created it, with the columns both set, which is what the two statements one after the other leave.
/// </summary>
internal sealed class PendingWrites
{
    private readonly List<TableWrite> _writes = [];
    private readonly Dictionary<string, TableWrite> _open = new(StringComparer.Ordinal);

    public bool IsEmpty => _writes.Count == 0;

    public void Upsert(string key, IReadOnlyList<string> keyValues, IEnumerable<KeyValuePair<int, string?>> columns)
    {
        if (_open.TryGetValue(key, out var earlier))
        {
            earlier.Merge(columns);
            return;
        }

        var write = new TableWrite(TableWriteKind.Upsert, keyValues, new SortedList<int, string?>(columns.ToDictionary()));
        _writes.Add(write);
        _open[key] = write;
    }

    public void Delete(string key, IReadOnlyList<string> keyValues)
    {
        _open.Remove(key);
        _writes.Add(new TableWrite(TableWriteKind.Delete, keyValues, []));
    }

    public void Insert(string key, TableRow row)
    {
        _open.Remove(key);
        var columns = new SortedList<int, string?>(row.Values.Count);
        for (var i = 0; i < row.Values.Count; i++)
        {
            columns[i] = row.Values[i];
        }

        _writes.Add(new TableWrite(TableWriteKind.Insert, [.. row.Table.Keys.Select(k => row[k] ?? string.Empty)], columns));
    }

    public void Clear()
    {
        _open.Clear();
        _writes.Add(new TableWrite(TableWriteKind.Clear, [], []));
    }

    /// <summary>
    /// Takes every held write out, as runs of consecutive writes of one shape (<see cref="TableWrite.Shape"/>): each
    /// run can be sent as one statement, and running the runs in order leaves what the writes one by one would.
    /// </summary>
    public List<List<TableWrite>> TakeRuns()
    {
        var runs = new List<List<TableWrite>>();
        string? shape = null;
        foreach (var write in _writes)
        {
            var next = write.Shape;

            // A clear is its own run; two clears in a row are one statement each, as given.
            if (next != shape || write.Kind == TableWriteKind.Clear)
            {
                runs.Add([]);
                shape = next;
            }

            runs[^1].Add(write);
        }

        _writes.Clear();
        _open.Clear();
        return runs;
    }
}
