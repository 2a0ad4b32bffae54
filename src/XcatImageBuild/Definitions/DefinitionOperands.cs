using System.Text.RegularExpressions;

namespace XcatImageBuild.Definitions;

/// <summary>
/// What mkdef, chdef, lsdef and rmdef were asked about: the object names (from <c>-o</c> or the one positional
/// operand without <c>=</c>; a noderange for nodes) and the <c>attr=value</c> pairs, in command-line order.
/// </summary>
public sealed partial class DefinitionOperands
{
    private DefinitionOperands(string? objectNames, IReadOnlyList<KeyValuePair<string, string>> attributes)
    {
        ObjectNames = objectNames;
        Attributes = attributes;
    }

    /// <summary>The object names as given (a comma list or noderange), or null when none was given.</summary>
    public string? ObjectNames { get; }

    /// <summary>The attribute assignments; a later one for the same attribute wins.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes { get; }

    /// <summary>Splits a command line's operands the way DBobjectdefs.pm processArgs does.</summary>
    /// <param name="option">The value of <c>-o</c>, or null.</param>
    /// <param name="operands">The positional operands.</param>
    /// <exception cref="XcatException">Two name operands, or an operand with <c>=</c> that is no attribute assignment.</exception>
    public static DefinitionOperands Parse(string? option, IEnumerable<string> operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        string? positional = null;
        var attributes = new List<KeyValuePair<string, string>>();
        foreach (var operand in operands)
        {
            if (!operand.Contains('=', StringComparison.Ordinal))
            {
                if (positional is not null)
                {
                    throw new XcatException("noderange can not contain spaces.");
                }

                positional = operand;
                continue;
            }

            var match = Assignment().Match(operand);
            if (!match.Success)
            {
                throw new XcatException($"Incorrect 'attr=val' pair - {operand}.");
            }

            attributes.Add(new KeyValuePair<string, string>(match.Groups["attr"].Value, match.Groups["value"].Value));
        }

        // -o wins over a positional operand, as in xCAT.
        var names = string.IsNullOrEmpty(option) ? positional : option;
        return new DefinitionOperands(names, attributes);
    }

    /// <summary>The assignments as one map, a later assignment of an attribute replacing an earlier one.</summary>
    internal Dictionary<string, string> AttributeMap()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (attribute, value) in Attributes)
        {
            map[attribute] = value;
        }

        return map;
    }

    [GeneratedRegex(@"^\s*(?<attr>\S+?)\s*=\s*(?<value>\S*.*)$", RegexOptions.Singleline)]
    private static partial Regex Assignment();
}
