using System.Globalization;

namespace XcatImageBuild.Definitions;

public sealed partial class ObjectDefinitions
{
    /// <summary><c>rmdef -t TYPE NAMES</c>: removes the objects and every row that belongs to them.</summary>
    /// <returns>The lines rmdef prints.</returns>
    /// <exception cref="XcatException">Unknown type, no names, or a name that is not defined; nothing was removed.</exception>
    public IReadOnlyList<string> Remove(string? type, DefinitionOperands operands)
    {
        ArgumentNullException.ThrowIfNull(operands);
        var objectType = TypeNamed(type);
        return _database.Write(session =>
        {
            var names = NamesOf(objectType, session, operands, creating: false);
            var problems = names.Where(n => !objectType.Exists(session, n))
                .Select(n => $"Could not find an object named '{n}' of type '{objectType.Name}'.").ToList();
            if (operands.Attributes.Count > 0)
            {
                problems.Add($"rmdef takes no attributes: {string.Join(' ', operands.Attributes.Select(a => a.Key + "=" + a.Value))}.");
            }

            if (problems.Count > 0)
            {
                throw Failed(problems, RemoveFailed);
            }

            foreach (var name in names)
            {
                objectType.Remove(session, name);
            }

            return (IReadOnlyList<string>)[string.Create(CultureInfo.InvariantCulture, $"{names.Count} object definitions have been removed.")];
        });
    }

    /// <summary>
    /// <c>rmdef -a -f</c>: removes every group, node and osimage definition in one transaction. The site definition
    /// stays (it cannot be removed; chdef -t site changes it).
    /// </summary>
    /// <returns>The line rmdef prints.</returns>
    public IReadOnlyList<string> RemoveAll() => _database.Write(session =>
    {
        var removed = 0;

        // Groups first, so each group's removal finds its members still there to take it out of their lists.
        foreach (var type in Types.Where(t => t is not SiteObjectType).Reverse())
        {
            foreach (var name in type.All(session))
            {
                type.Remove(session, name);
                removed++;
            }
        }

        return (IReadOnlyList<string>)[removed == 0
            ? "No objects have been removed from the xCAT database."
            : string.Create(CultureInfo.InvariantCulture, $"{removed} object definitions have been removed.")];
    });
}
