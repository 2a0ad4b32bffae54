using System.Text.RegularExpressions;

namespace XcatImageBuild.Tables;

/// <summary>
/// xCAT's <c>tabch</c> / <c>chtab</c> (tabutils.pm tabch): <c>KEY=VAL[,KEY=VAL...] TABLE.COL=VALUE...</c> sets columns
/// of the rows whose columns equal the key values (adding the row when there is none), <c>TABLE.COL+=VALUE</c> adds
/// to a comma list without repeating an item, and <c>-d KEY=VAL[,...] TABLE...</c> deletes the matching rows. Every
/// table changes in one transaction; any error changes nothing.
/// </summary>
public static partial class TableChange
{
    /// <summary>Applies a tabch command line (its operands after the flags).</summary>
    /// <param name="database">The tables.</param>
    /// <param name="operands">The key list, then the <c>TABLE.COL=VALUE</c> changes or, with <paramref name="delete"/>, the tables.</param>
    /// <param name="delete"><c>-d</c>: delete the matching rows.</param>
    /// <exception cref="XcatException">A malformed operand, an unknown table or column, a key column to change, or a
    /// row to add whose key is not given; nothing was changed.</exception>
    public static void Run(XcatDatabase database, IReadOnlyList<string> operands, bool delete)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Count == 0)
        {
            throw new XcatException("Missing keycolname=keyvalue.");
        }

        if (ChangeOperand().IsMatch(operands[0].Split(',')[0]))
        {
            throw new XcatException($"Incorrect argument \"{operands[0]}\": the rows to change come first, as keycolname=keyvalue[,keycolname=keyvalue...].");
        }

        var keys = Keys(operands[0]);
        var rest = operands.Skip(1).ToList();
        if (delete)
        {
            Delete(database, keys, rest);
        }
        else
        {
            Change(database, keys, rest);
        }
    }

    private static Dictionary<string, string> Keys(string list)
    {
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in list.Split(','))
        {
            // tabch splits a pair at its last '=' (a greedy match).
            var equals = pair.LastIndexOf('=');
            if (equals <= 0)
            {
                throw new XcatException($"Incorrect argument \"{pair}\".", 1, "Check man tabch or tabch -h.");
            }

            keys[pair[..equals]] = pair[(equals + 1)..];
        }

        return keys;
    }

    private static void CheckKeyColumns(TableSchema table, Dictionary<string, string> keys)
    {
        foreach (var column in keys.Keys.Where(k => !table.HasColumn(k)))
        {
            throw new XcatException($"No column \"{column}\" in table \"{table.Name}\"");
        }
    }

    private static void Delete(XcatDatabase database, Dictionary<string, string> keys, List<string> tableNames)
    {
        if (tableNames.Count == 0)
        {
            throw new XcatException("Missing table name.", 1, "Check man tabch or tabch -h.");
        }

        var tables = Tables(tableNames);
        foreach (var table in tables)
        {
            CheckKeyColumns(table, keys);
        }

        database.Write(session =>
        {
            foreach (var table in tables)
            {
                foreach (var row in Matching(session, table, keys))
                {
                    session.Delete(table, [.. table.Keys.Select(k => row[k]!)]);
                }
            }

            return 0;
        });
    }

    private static void Change(XcatDatabase database, Dictionary<string, string> keys, List<string> assignments)
    {
        if (assignments.Count == 0)
        {
            throw new XcatException("Missing tablename.colname=newvalue.", 1, "Check man tabch or tabch -h.");
        }

        // Per table, in command-line order: column -> (value, whether it is added to the list with +=).
        var changes = new Dictionary<TableSchema, Dictionary<string, (string Value, bool Append)>>();
        var problems = new List<string>();
        foreach (var assignment in assignments)
        {
            var dot = assignment.IndexOf('.', StringComparison.Ordinal);
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (dot <= 0 || equals < dot)
            {
                problems.Add($"{assignment} not a valid table.column description");
                continue;
            }

            var table = XcatSchema.Get(assignment[..dot]);
            var spec = assignment[(dot + 1)..];
            var append = spec.Contains("+=", StringComparison.Ordinal);
            var at = append ? spec.IndexOf("+=", StringComparison.Ordinal) : spec.IndexOf('=', StringComparison.Ordinal);
            var column = spec[..at];
            var value = spec[(at + (append ? 2 : 1))..];
            if (!table.HasColumn(column))
            {
                problems.Add($"{table.Name}.{column} not a valid table.column description");
                continue;
            }

            if (table.Keys.Contains(column))
            {
                problems.Add($"{table.Name}.{column} is a key column of {table.Name}; it names the row, it is not changed (chdef -n renames an object).");
                continue;
            }

            if (!keys.Keys.All(table.HasColumn))
            {
                problems.Add($"No column \"{keys.Keys.First(k => !table.HasColumn(k))}\" in table \"{table.Name}\"");
                continue;
            }

            if (!changes.TryGetValue(table, out var columns))
            {
                changes[table] = columns = new Dictionary<string, (string, bool)>(StringComparer.Ordinal);
            }

            columns[column] = (value, append);
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        database.Write(session =>
        {
            foreach (var (table, columns) in changes)
            {
                var rows = Matching(session, table, keys);
                if (rows.Count == 0)
                {
                    var missing = table.Keys.Where(k => !keys.ContainsKey(k)).ToList();
                    if (missing.Count > 0)
                    {
                        throw new XcatException(
                            $"No row of {table.Name} has {string.Join(",", keys.Select(k => k.Key + "=" + k.Value))}, and a new row needs its key {string.Join(",", missing)} too.");
                    }

                    var values = columns.ToDictionary(c => c.Key, c => Empty(c.Value.Value), StringComparer.Ordinal);
                    foreach (var (column, value) in keys.Where(k => !table.Keys.Contains(k.Key)))
                    {
                        values.TryAdd(column, Empty(value));
                    }

                    session.Set(table, [.. table.Keys.Select(k => keys[k])], values);
                    continue;
                }

                foreach (var row in rows)
                {
                    var values = columns.ToDictionary(c => c.Key, c => Empty(c.Value.Append ? Merge(row[c.Key], c.Value.Value) : c.Value.Value), StringComparer.Ordinal);
                    session.Set(table, [.. table.Keys.Select(k => row[k]!)], values);
                }
            }

            return 0;
        });
    }

    private static List<TableSchema> Tables(List<string> names)
    {
        var tables = new List<TableSchema>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            try
            {
                tables.Add(XcatSchema.Get(name));
            }
            catch (XcatException e)
            {
                problems.Add(e.Message);
            }
        }

        return problems.Count > 0 ? throw XcatException.FromMany(problems) : tables;
    }

    private static List<TableRow> Matching(TableSession session, TableSchema table, Dictionary<string, string> keys) =>
        [.. session.ReadAll(table).Where(r => keys.All(k => r[k.Key] == k.Value))];

    // The items already there first, then the new ones not among them (tabch's '+=').
    private static string Merge(string? current, string value)
    {
        var existing = (current ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries);
        return existing.Length == 0 ? value : string.Join(',', existing.Concat(value.Split(',')).Distinct(StringComparer.Ordinal));
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"^[^.=]+\.[^.=]+\+?=")]
    private static partial Regex ChangeOperand();
}
