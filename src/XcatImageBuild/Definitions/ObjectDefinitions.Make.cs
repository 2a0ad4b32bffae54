using System.Globalization;

namespace XcatImageBuild.Definitions;

public sealed partial class ObjectDefinitions
{
    /// <summary>
    /// <c>mkdef -t TYPE NAMES attr=value...</c>: defines new objects. An existing object is an error unless
    /// <paramref name="force"/> (<c>-f</c>), which replaces it.
    /// </summary>
    /// <returns>The lines mkdef prints.</returns>
    /// <exception cref="XcatException">Unknown type or attribute, no names, an existing object without -f, or
    /// an object that cannot hold the attributes; nothing was changed.</exception>
    public IReadOnlyList<string> Make(string? type, DefinitionOperands operands, bool force)
    {
        ArgumentNullException.ThrowIfNull(operands);
        var objectType = TypeNamed(type);
        return _database.Write(session =>
        {
            var problems = UnknownAttributes(objectType, operands);
            var names = NamesOf(objectType, session, operands, creating: true);
            var attributes = operands.AttributeMap();
            var replaced = new List<string>();
            foreach (var name in names)
            {
                // The site object always exists; mkdef -t site just sets its attributes.
                if (objectType is not SiteObjectType && objectType.Exists(session, name))
                {
                    if (!force)
                    {
                        problems.Add($"A definition for '{name}' already exists.");
                        problems.Add("To remove the old definition and replace it with a new definition use the force '-f' option.");
                        problems.Add("To change the existing definition use the 'chdef' command.");
                        continue;
                    }

                    replaced.Add(name);
                }

                if (problems.Count == 0)
                {
                    problems.AddRange(objectType.Check(session, name, attributes, creating: true));
                }
            }

            if (problems.Count > 0)
            {
                throw Failed(problems, WriteFailed);
            }

            foreach (var name in replaced)
            {
                objectType.Remove(session, name);
            }

            foreach (var name in names)
            {
                objectType.Write(session, name, attributes, creating: objectType is not SiteObjectType);
            }

            return (IReadOnlyList<string>)[string.Create(CultureInfo.InvariantCulture, $"{names.Count} object definitions have been created or modified.")];
        });
    }
}
