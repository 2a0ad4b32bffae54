using System.Globalization;
using XcatImageBuild.Nodes;

namespace XcatImageBuild.Definitions;

public sealed partial class ObjectDefinitions
{
    /// <summary>
    /// <c>chdef -t TYPE NAMES attr=value...</c>: changes objects; <paramref name="mode"/> is <c>-p</c>/<c>-m</c>. As in
    /// xCAT, a name that is not defined yet is created, with <c>groups=all</c> when the type has groups and, for an
    /// osimage, <c>imagetype=NIM</c> unless given (DBobjectdefs.pm defch).
    /// </summary>
    /// <returns>The lines chdef prints.</returns>
    /// <exception cref="XcatException">Unknown type or attribute, no names, <c>-m</c> on a missing object, or an
    /// object that cannot hold the attributes; nothing was changed.</exception>
    public IReadOnlyList<string> Change(string? type, DefinitionOperands operands, ChangeMode mode)
    {
        ArgumentNullException.ThrowIfNull(operands);
        var objectType = TypeNamed(type);
        return _database.Write(session =>
        {
            var problems = UnknownAttributes(objectType, operands);
            var names = NamesOf(objectType, session, operands, creating: false);
            var changes = new List<(string Name, Dictionary<string, string> Attributes, bool Creating)>();
            foreach (var name in names)
            {
                var creating = !objectType.Exists(session, name);
                if (creating && mode == ChangeMode.Minus)
                {
                    problems.Add($"The '-m' option is not valid since the '{name}' definition does not exist.");
                    continue;
                }

                var attributes = operands.AttributeMap();
                if (mode != ChangeMode.Replace)
                {
                    var own = objectType.ReadOwn(session, name);
                    foreach (var attribute in attributes.Keys.ToList())
                    {
                        attributes[attribute] = Combine(own.GetValueOrDefault(attribute), attributes[attribute], mode);
                    }
                }

                if (creating)
                {
                    if (objectType.HasAttribute("groups") && objectType is not SiteObjectType)
                    {
                        attributes.TryAdd("groups", "all");
                    }

                    if (objectType is OsImageObjectType)
                    {
                        attributes.TryAdd("imagetype", "NIM");
                    }
                }

                if (problems.Count == 0)
                {
                    problems.AddRange(objectType.Check(session, name, attributes, creating));
                }

                changes.Add((name, attributes, creating));
            }

            if (problems.Count > 0)
            {
                throw Failed(problems, WriteFailed);
            }

            foreach (var (name, attributes, creating) in changes)
            {
                objectType.Write(session, name, attributes, creating);
            }

            var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{changes.Count} object definitions have been created or modified.") };
            var created = changes.Where(c => c.Creating).Select(c => c.Name).ToList();
            if (created.Count > 0)
            {
                lines.Add($"New object definitions '{string.Join(',', created)}' have been created.");
            }

            return (IReadOnlyList<string>)lines;
        });
    }

    /// <summary>chdef -p appends the items not present yet; -m removes the given items (DBobjUtils.pm setobjdefs).</summary>
    private static string Combine(string? current, string value, ChangeMode mode)
    {
        var items = NodeRange.SplitList(current).ToList();
        var given = NodeRange.SplitList(value).ToList();
        if (mode == ChangeMode.Plus)
        {
            items.AddRange(given.Where(g => !items.Contains(g, StringComparer.Ordinal)));
        }
        else
        {
            items.RemoveAll(i => given.Contains(i, StringComparer.Ordinal));
        }

        return string.Join(',', items);
    }
}
