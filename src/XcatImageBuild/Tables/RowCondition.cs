using System.Text;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Tables;

/// <summary>
/// One <c>tabdump -w</c> condition, with the meaning xCAT's SQL gives it (Table.pm buildWhereClause on SQLite):
/// <c>col==val</c> is equality, <c>col=~pat</c> / <c>col!~pat</c> are SQL <c>LIKE</c> / <c>NOT LIKE</c> (<c>%</c>
/// any run, <c>_</c> one character, ASCII letters in either case; one leading and trailing <c>/</c> stripped),
/// <c>!=</c>, and <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> compare text. A NULL value meets no condition.
/// </summary>
public sealed class RowCondition
{
    private static readonly (string Token, string Operator)[] Operators =
        [("==", "="), ("=~", "like"), ("!=", "!="), ("!~", "not like"), ("<=", "<="), ("<", "<"), (">=", ">="), (">", ">")];

    private readonly string _operator;
    private readonly Regex? _like;

    private RowCondition(string column, string op, string value)
    {
        Column = column;
        _operator = op;
        Value = value;
        if (op is "like" or "not like")
        {
            _like = new Regex(LikePattern(value), RegexOptions.CultureInvariant | RegexOptions.Singleline);
        }
    }

    /// <summary>The column compared.</summary>
    public string Column { get; }

    /// <summary>The value (or LIKE pattern) compared with.</summary>
    public string Value { get; }

    /// <summary>Parses <paramref name="text"/> and checks its column is one of <paramref name="table"/>'s.</summary>
    /// <exception cref="XcatException">No operator xCAT knows, or a column the table does not have.</exception>
    public static RowCondition Parse(string text, TableSchema table)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(table);
        foreach (var (token, op) in Operators)
        {
            var at = text.IndexOf(token, StringComparison.Ordinal);

            // Like xCAT's patterns, the operator must come before any other '=' (only !~ is looked for anywhere).
            if (at < 0 || (token != "!~" && text[..at].Contains('=', StringComparison.Ordinal)))
            {
                continue;
            }

            var column = text[..at];
            var value = text[(at + token.Length)..];
            if (op is "like" or "not like")
            {
                value = value.StartsWith('/') ? value[1..] : value;
                value = value.EndsWith('/') ? value[..^1] : value;
            }

            return table.HasColumn(column)
                ? new RowCondition(column, op, value)
                : throw new XcatException($"No column \"{column}\" in table \"{table.Name}\"");
        }

        throw new XcatException($"Unsupported operator:{text} on -w flag input", 1, "The operators are ==, !=, =~ and !~ (SQL LIKE patterns), <, <=, > and >=.");
    }

    /// <summary>Whether <paramref name="row"/> meets the condition.</summary>
    public bool Matches(TableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var actual = row[Column];
        if (actual is null)
        {
            return false;
        }

        var order = string.CompareOrdinal(actual, Value);
        return _operator switch
        {
            "=" => order == 0,
            "!=" => order != 0,
            "like" => _like!.IsMatch(actual),
            "not like" => !_like!.IsMatch(actual),
            "<" => order < 0,
            "<=" => order <= 0,
            ">" => order > 0,
            _ => order >= 0,
        };
    }

    // SQLite's LIKE: % and _ are the only wildcards, and ASCII letters match in either case.
    private static string LikePattern(string pattern)
    {
        var regex = new StringBuilder("^");
        foreach (var c in pattern)
        {
            regex.Append(c switch
            {
                '%' => ".*",
                '_' => ".",
                _ when char.IsAsciiLetter(c) => $"[{char.ToLowerInvariant(c)}{char.ToUpperInvariant(c)}]",
                _ => Regex.Escape(c.ToString()),
            });
        }

        return regex.Append('$').ToString();
    }
}
