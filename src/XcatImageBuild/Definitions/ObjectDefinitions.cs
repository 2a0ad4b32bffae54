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

    private static readonly IReadOnlyList<ObjectType> Types =
        [new OsImageObjectType(), new NodeObjectType(), new GroupObjectType(), new SiteObjectType()];

    private readonly XcatDatabase _database;

    /// <summary>The commands over the tables of <paramref name="database"/>.</summary>
    public ObjectDefinitions(XcatDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>The object types these commands handle.</summary>
    public static IReadOnlyList<string> TypeNames { get; } = [.. Types.Select(t => t.Name)];

    private static ObjectType TypeNamed(string? type)
    {
        var name = string.IsNullOrEmpty(type) ? "node" : type;
        return Types.FirstOrDefault(t => t.Name == name)
            ?? throw new XcatException(
                $"Type '{name}' is not a valid xCAT object type.", 1, $"The object types are: {string.Join(", ", TypeNames)}.");
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

    /// <summary>One message per attribute the type does not have (xCAT's text), in command-line order.</summary>
    private static List<string> UnknownAttributes(ObjectType type, DefinitionOperands operands) =>
        [.. operands.Attributes.Select(a => a.Key).Distinct(StringComparer.Ordinal).Where(a => !type.HasAttribute(a))
            .Select(a => $"'{a}' is not a valid attribute name for an object type of '{type.Name}'.")];

    private static XcatException Failed(List<string> problems, string closing)
    {
        problems.Add(closing);
        return XcatException.FromMany(problems);
    }
}
