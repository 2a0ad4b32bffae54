using System.Globalization;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// xCAT's object commands over the site's tables: <c>mkdef</c>, <c>chdef</c>, <c>rmdef</c> and <c>lsdef</c> for the
/// osimage, node, group and site types, with xCAT's messages (DBobjectdefs.pm). Each command checks all its input
/// first and then makes every change in one transaction, so a command that fails changes nothing.
/// </summary>
public sealed partial class ObjectDefinitions
{
    private const string WriteFailed = "One or more errors occured when attempting to create or modify xCAT object definitions.";

    private const string RemoveFailed = "One or more errors occured when attempting to remove xCAT object definitions.";

    /// <summary>The types in the order a batch of definitions is written: a site's installdir before the images it
    /// places, nodes before the groups that list them.</summary>
    private static readonly IReadOnlyList<ObjectType> Types =
        [new SiteObjectType(), new OsImageObjectType(), new NodeObjectType(), new GroupObjectType()];

    private readonly XcatDatabase _database;

    /// <summary>The commands over the tables of <paramref name="database"/>.</summary>
    public ObjectDefinitions(XcatDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The object types these commands handle, sorted by name.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = [.. Types.Select(t => t.Name).Order(StringComparer.Ordinal)];

    /// <summary>The types in name order, as lsdef -a lists them.</summary>
    private static IReadOnlyList<ObjectType> TypesByName => [.. Types.OrderBy(t => t.Name, StringComparer.Ordinal)];

    private static ObjectType TypeNamed(string? type)
    {
        var name = string.IsNullOrEmpty(type) ? "node" : type;
        if (name.Contains(',', StringComparison.Ordinal))
        {
            throw new XcatException($"This command takes one object type, not the list '{name}'.");
        }

        return Types.FirstOrDefault(t => t.Name == name)
            ?? throw new XcatException(
                $"Type '{name}' is not a valid xCAT object type.", 1, $"The object types are: {string.Join(", ", TypeNames)}.");
    }

    /// <summary>The types of a <c>-t</c> comma list (lsdef), node when none is given.</summary>
    private static List<ObjectType> TypesNamed(string? types)
    {
        var names = string.IsNullOrEmpty(types) ? ["node"] : types.Split(',', StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => Types.All(t => t.Name != n)).Select(n => $"Type '{n}' is not a valid xCAT object type.").ToList();
        if (unknown.Count > 0)
        {
            throw new XcatException(string.Join(Environment.NewLine, unknown), 1, $"The object types are: {string.Join(", ", TypeNames)}.");
        }

        return [.. names.Distinct(StringComparer.Ordinal).Select(n => Types.First(t => t.Name == n))];
    }

    /// <summary>The names the operands stand for, or xCAT's error when there are none.</summary>
    private static IReadOnlyList<string> NamesOf(ObjectType type, TableSession session, DefinitionOperands operands, bool creating)
    {
        if (string.IsNullOrEmpty(operands.ObjectNames))
        {
            // There is one site object, so -t site needs no name (DBobjectdefs.pm processArgs).
            if (type is SiteObjectType)
            {
                return [SiteObjectType.ObjectName];
            }

            throw new XcatException("No object names were provided.");
        }

        var names = type.Names(session, operands.ObjectNames, creating);
        return names.Count > 0 ? names : throw new XcatException($"No object names were provided in '{operands.ObjectNames}'.");
    }

    /// <summary>One message per attribute the type does not have (xCAT's text), in the order given.</summary>
    private static List<string> UnknownAttributes(ObjectType type, IEnumerable<string> attributes) =>
        [.. attributes.Distinct(StringComparer.Ordinal).Where(a => !type.HasAttribute(a))
            .Select(a => $"'{a}' is not a valid attribute name for an object type of '{type.Name}'.")];

    /// <summary>The objects of a stanza file as edits, each with the problems of its own lines.</summary>
    private static List<ObjectEdit> EditsOf(IReadOnlyList<StanzaObject> stanza)
    {
        var edits = new List<ObjectEdit>();
        foreach (var entry in stanza)
        {
            var line = entry.Line.ToString(CultureInfo.InvariantCulture);
            if (entry.Type is null)
            {
                edits.Add(ObjectEdit.Refused($"Stanza line {line}: No objtype value was specified for '{entry.Name}'. Cannot create object definition."));
                continue;
            }

            var type = Types.FirstOrDefault(t => t.Name == entry.Type);
            if (type is null)
            {
                edits.Add(ObjectEdit.Refused($"Stanza line {line}: Type '{entry.Type}' is not a valid xCAT object type."));
                continue;
            }

            var problems = entry.Attributes.Where(a => !type.HasAttribute(a.Name))
                .Select(a => string.Create(CultureInfo.InvariantCulture, $"Stanza line {a.Line}: '{a.Name}' is not a valid attribute name for an object type of '{type.Name}'."))
                .ToList();
            if (type is SiteObjectType && entry.Name != SiteObjectType.ObjectName)
            {
                problems.Add($"Stanza line {line}: The site definition is named '{SiteObjectType.ObjectName}', not '{entry.Name}'.");
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var attribute in entry.Attributes)
            {
                attributes[attribute.Name] = attribute.Value;
            }

            edits.Add(new ObjectEdit(type, entry.Name, attributes, problems));
        }

        return edits;
    }

    /// <summary>Edits in the order they are written (<see cref="Types"/>), each type's in the order given.</summary>
    private static IEnumerable<ObjectEdit> InWriteOrder(IEnumerable<ObjectEdit> edits) =>
        edits.OrderBy(e => e.Type is null ? -1 : Types.ToList().IndexOf(e.Type));

    private static XcatException Failed(List<string> problems, string closing)
    {
        problems.Add(closing);
        return XcatException.FromMany(problems);
    }

    /// <summary>One object a command creates or changes, and what is already known to be wrong with it.</summary>
    private sealed class ObjectEdit(ObjectType? type, string name, Dictionary<string, string> attributes, List<string> problems)
    {
        public ObjectType? Type { get; } = type;

        public string Name { get; } = name;

        public Dictionary<string, string> Attributes { get; } = attributes;

        public List<string> Problems { get; } = problems;

        public static ObjectEdit Refused(string problem) => new(null, string.Empty, [], [problem]);
    }
}
