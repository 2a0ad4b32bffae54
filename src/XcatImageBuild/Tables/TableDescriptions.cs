using System.Text;
using System.Text.Json;

namespace XcatImageBuild.Tables;

/// <summary>
/// xCAT's <c>tabdump -d</c>: the descriptions xCAT 2.18.2's Schema.pm gives each table and column, printed as
/// tabutils.pm prints them: <c>name:</c>, two tabs when the name is shorter than 7 characters (else one), the
/// description, and a blank line between entries.
/// </summary>
public static class TableDescriptions
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static readonly Lazy<Dictionary<string, TableText>> Texts = new(Load);

    /// <summary><c>tabdump -d TABLE</c>: one entry per column, in the table's column order.</summary>
    public static string FormatColumns(TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var columns = Texts.Value.TryGetValue(table.Name, out var text) ? text.Columns : [];
        return Format(table.Columns.Select(c => Entry(c, columns.GetValueOrDefault(c))));
    }

    /// <summary><c>tabdump -d</c>: one entry per table, sorted as xCAT sorts them (the whole entry, ordinally).</summary>
    public static string FormatTables(IEnumerable<TableSchema> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        return Format(tables.Select(t => Entry(t.Name, Texts.Value.TryGetValue(t.Name, out var text) ? text.Table : null)).Order(StringComparer.Ordinal));
    }

    private static string Entry(string name, string? description) => $"{name}:{(name.Length < 7 ? "\t\t" : "\t")}{description}";

    // Each entry ends in a newline and the client prints each on its own line; xCAT chops the last newline only.
    private static string Format(IEnumerable<string> entries)
    {
        var text = new StringBuilder();
        foreach (var entry in entries)
        {
            text.Append(entry).Append("\n\n");
        }

        return text.Length == 0 ? string.Empty : text.ToString(0, text.Length - 1);
    }

    private static Dictionary<string, TableText> Load()
    {
        using var stream = typeof(TableDescriptions).Assembly.GetManifestResourceStream("XcatImageBuild.Tables.xcat-2.18-descriptions.json")
            ?? throw new InvalidOperationException("The table descriptions are missing from the assembly.");
        return JsonSerializer.Deserialize<Dictionary<string, TableText>>(stream, Json)
            ?? throw new InvalidOperationException("The table descriptions are empty.");
    }

    private sealed record TableText(string? Table, Dictionary<string, string?> Columns);
}
