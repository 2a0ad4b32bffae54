using System.Text;

namespace XcatImageBuild.Tables;

public static partial class TabDump
{
    /// <summary>
    /// Reads a table back from tabdump's CSV (what tabrestore and restorexCATdb read): the first line is the
    /// <c>#col,...</c> header naming columns of <paramref name="table"/> in any order, then one row per record, each
    /// field empty (NULL) or <c>"value"</c> with inner quotes doubled; a quoted value may span lines. Later lines that
    /// begin with <c>#</c> are comments. Columns the header leaves out are NULL.
    /// </summary>
    /// <exception cref="XcatException">The header or a record is malformed; the message names <paramref name="source"/> and the line.</exception>
    public static IReadOnlyList<TableRow> Parse(TableSchema table, string text, string source)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(text);
        var reader = new Reader(text, source);
        var header = reader.Line();
        if (header is null || !header.StartsWith('#'))
        {
            throw new XcatException($"{source} line 1: the first line must be the header #{string.Join(',', table.Columns)}.");
        }

        var columns = header[1..].TrimEnd('\r').Split(',');
        var unknown = columns.Where(c => !table.HasColumn(c)).ToList();
        if (unknown.Count > 0)
        {
            throw new XcatException($"{source} line 1: {string.Join(", ", unknown.Select(c => $"'{c}'"))} is not a column of the {table.Name} table.");
        }

        var missingKeys = table.Keys.Where(k => !columns.Contains(k)).ToList();
        if (missingKeys.Count > 0)
        {
            throw new XcatException($"{source} line 1: the header lacks the key column {string.Join(", ", missingKeys)} of the {table.Name} table.");
        }

        var rows = new List<TableRow>();
        while (reader.AtRecord())
        {
            var line = reader.LineNumber;
            var fields = reader.Record();
            if (fields.Count != columns.Length)
            {
                throw new XcatException($"{source} line {line}: {fields.Count} fields, but the header names {columns.Length} columns.");
            }

            var values = new string?[table.Columns.Count];
            for (var i = 0; i < columns.Length; i++)
            {
                values[table.IndexOf(columns[i])] = fields[i];
            }

            var row = new TableRow(table, values);
            var emptyKey = table.Keys.FirstOrDefault(k => string.IsNullOrEmpty(row[k]));
            if (emptyKey is not null)
            {
                throw new XcatException($"{source} line {line}: the key column {emptyKey} is empty.");
            }

            rows.Add(row);
        }

        return rows;
    }

    private sealed class Reader(string text, string source)
    {
        private int _at;

        public int LineNumber { get; private set; } = 1;

        public string? Line()
        {
            if (_at >= text.Length)
            {
                return null;
            }

            var end = text.IndexOf('\n', _at);
            end = end < 0 ? text.Length : end;
            var line = text[_at..end];
            _at = Math.Min(end + 1, text.Length);
            LineNumber++;
            return line;
        }

        /// <summary>Skips blank and comment lines; true when a record follows.</summary>
        public bool AtRecord()
        {
            while (_at < text.Length)
            {
                if (text[_at] == '#' || text[_at] == '\n' || (text[_at] == '\r' && _at + 1 < text.Length && text[_at + 1] == '\n'))
                {
                    Line();
                    continue;
                }

                return true;
            }

            return false;
        }

        public List<string?> Record()
        {
            var start = LineNumber;
            var fields = new List<string?>();
            while (true)
            {
                if (_at < text.Length && text[_at] == '"')
                {
                    _at++;
                    var value = new StringBuilder();
                    while (true)
                    {
                        if (_at >= text.Length)
                        {
                            throw new XcatException($"{source} line {start}: a quoted value is not closed.");
                        }

                        var c = text[_at++];
                        if (c == '"')
                        {
                            if (_at < text.Length && text[_at] == '"')
                            {
                                value.Append('"');
                                _at++;
                                continue;
                            }

                            break;
                        }

                        if (c == '\n')
                        {
                            LineNumber++;
                        }

                        value.Append(c);
                    }

                    fields.Add(value.ToString());
                }
                else
                {
                    var end = _at;
                    while (end < text.Length && text[end] is not (',' or '\n'))
                    {
                        end++;
                    }

                    var bare = text[_at..end].TrimEnd('\r');
                    if (bare.Contains('"', StringComparison.Ordinal))
                    {
                        throw new XcatException($"{source} line {LineNumber}: a value must be quoted as a whole: {bare}");
                    }

                    fields.Add(bare.Length == 0 ? null : bare);
                    _at = end;
                }

                if (_at < text.Length && text[_at] == '\r')
                {
                    _at++;
                }

                if (_at >= text.Length || text[_at] == '\n')
                {
                    _at = Math.Min(_at + 1, text.Length);
                    LineNumber++;
                    return fields;
                }

                if (text[_at] != ',')
                {
                    throw new XcatException($"{source} line {LineNumber}: a quoted value must be followed by ',' or the end of the line.");
                }

                _at++;
            }
        }
    }
}
