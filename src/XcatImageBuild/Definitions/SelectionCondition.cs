using System.Text.RegularExpressions;

namespace XcatImageBuild.Definitions;

/// <summary>How a <c>-w</c> selection string compares an attribute's value.</summary>
public enum SelectionOperator
{
    /// <summary><c>attr==val</c> (or <c>attr=val</c>): the value is exactly this.</summary>
    Equal,

    /// <summary><c>attr!=val</c>: the value is not exactly this.</summary>
    NotEqual,

    /// <summary><c>attr=~regex</c>: the value matches the regular expression.</summary>
    Match,

    /// <summary><c>attr!~regex</c>: the value does not match the regular expression.</summary>
    NotMatch,
}

/// <summary>
/// One lsdef <c>-w</c> selection string, parsed as xCAT's Utils.pm parse_selection_string does: <c>==</c>, <c>=~</c>
/// (one leading and one trailing <c>/</c> stripped), <c>!=</c>, <c>!~</c>, or a single <c>=</c> meaning <c>==</c>. An
/// object without a value for the attribute never matches, whatever the operator (selection_string_match).
/// </summary>
public sealed class SelectionCondition
{
    /// <summary>A pattern that takes longer than this to match is an error, not a hang.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly Regex? _pattern;

    private SelectionCondition(string attribute, SelectionOperator op, string value, Regex? pattern)
    {
        Attribute = attribute;
        Operator = op;
        Value = value;
        _pattern = pattern;
    }

    /// <summary>The attribute compared.</summary>
    public string Attribute { get; }

    public SelectionOperator Operator { get; }

    /// <summary>The value or regular expression compared with.</summary>
    public string Value { get; }

    /// <summary>Parses one selection string.</summary>
    /// <exception cref="XcatException">It has no operator, no attribute name, or a regular expression that does not parse.</exception>
    public static SelectionCondition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (attribute, op, value) = Split(text);
        if (attribute is null || attribute.Length == 0)
        {
            throw Incorrect(text, "it needs attr==val, attr!=val, attr=~regex or attr!~regex");
        }

        Regex? pattern = null;
        if (op is SelectionOperator.Match or SelectionOperator.NotMatch)
        {
            // xCAT takes the expression between optional slashes: -w 'os=~/^rhels8/'.
            if (value.StartsWith('/'))
            {
                value = value[1..];
            }

            if (value.EndsWith('/'))
            {
                value = value[..^1];
            }

            try
            {
                pattern = new Regex(value, RegexOptions.CultureInvariant, MatchTimeout);
            }
            catch (ArgumentException e)
            {
                throw Incorrect(text, $"'{value}' is not a regular expression ({e.Message})");
            }
        }

        return new SelectionCondition(attribute, op, value, pattern);
    }

    /// <summary>Whether an object whose non-empty attributes are <paramref name="values"/> is selected.</summary>
    /// <exception cref="XcatException">The regular expression took too long on a value.</exception>
    public bool Matches(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!values.TryGetValue(Attribute, out var actual))
        {
            return false;
        }

        try
        {
            return Operator switch
            {
                SelectionOperator.Equal => actual == Value,
                SelectionOperator.NotEqual => actual != Value,
                SelectionOperator.Match => _pattern!.IsMatch(actual),
                _ => !_pattern!.IsMatch(actual),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            throw new XcatException($"The selection string's regular expression '{Value}' took too long on the value of '{Attribute}'.");
        }
    }

    // The operators are tried in xCAT's order, so 'a==b=~c' is an equality with the value 'b=~c'.
    private static (string? Attribute, SelectionOperator Operator, string Value) Split(string text)
    {
        foreach (var (token, op) in new[] { ("==", SelectionOperator.Equal), ("=~", SelectionOperator.Match), ("!=", SelectionOperator.NotEqual), ("!~", SelectionOperator.NotMatch) })
        {
            var at = text.IndexOf(token, StringComparison.Ordinal);
            if (at >= 0 && !text[..at].Contains('=', StringComparison.Ordinal))
            {
                return (text[..at], op, text[(at + token.Length)..]);
            }
        }

        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals >= 0 && equals < text.Length - 1 && !text[(equals + 1)..].Contains('=', StringComparison.Ordinal))
        {
            return (text[..equals], SelectionOperator.Equal, text[(equals + 1)..]);
        }

        throw Incorrect(text, "it needs attr==val, attr!=val, attr=~regex or attr!~regex");
    }

    private static XcatException Incorrect(string text, string why) =>
        new($"Incorrect selection string specified with -w flag: '{text}': {why}.");
}
