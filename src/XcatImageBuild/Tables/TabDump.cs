using System.Text;

namespace XcatImageBuild.Tables;

/// <summary>
/// xCAT's <c>tabdump TABLE</c>: a <c>#col,...</c> header in schema order, then every row (disabled ones too) in
/// insertion order, each value as <c>"value"</c> with inner quotes doubled, NULL and empty as nothing
/// (xcat-spec §4.2).
/// </summary>
public static partial class TabDump
{
    public static string Format(TableSchema table, IEnumerable<TableRow> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.Append('#').AppendJoin(',', table.Columns).Append('\n');
        foreach (var row in rows)
        {
            text.AppendJoin(',', row.Values.Select(Quote)).Append('\n');
        }

        return text.ToString();
    }

    private static string Quote(string? value) =>
        string.IsNullOrEmpty(value) ? string.Empty : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
