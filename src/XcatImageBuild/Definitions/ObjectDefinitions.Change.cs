using System.Globalization;
using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;

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
            var unknown = UnknownAttributes(objectType, operands.Attributes.Select(a => a.Key));
            var names = NamesOf(objectType, session, operands, creating: false);
            var attributes = operands.AttributeMap();
            return ChangeAll(session, [.. names.Select(n => new ObjectEdit(objectType, n, attributes, []))], mode, unknown);
        });
    }

    /// <summary><c>chdef -z [-p|-m]</c>: changes (or creates) every object of a stanza file, in one transaction.</summary>
    /// <returns>The lines chdef prints.</returns>
    /// <exception cref="XcatException">A malformed line, an object without or with an unknown objtype, an unknown
    /// attribute (each named by its line), or any chdef refusal; nothing was changed.</exception>
    public IReadOnlyList<string> ChangeFromStanza(string stanza, ChangeMode mode)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        var parsed = StanzaFile.Parse(stanza);
        if (parsed.Count == 0)
        {
            throw new XcatException("The stanza input defines no objects.");
        }

        return _database.Write(session => ChangeAll(session, EditsOf(parsed), mode, []));
    }

    private static List<string> ChangeAll(TableSession session, IReadOnlyList<ObjectEdit> edits, ChangeMode mode, List<string> shared)
    {
        var problems = new List<string>(shared);
        var changes = new List<(string Name, bool Creating)>();
        var existing = edits.Where(e => e.Type is not null).ToDictionary(e => e, e => e.Type!.Exists(session, e.Name));
        foreach (var edit in InWriteOrder(edits))
        {
            var own = new List<string>(edit.Problems);
            if (shared.Count > 0)
            {
                continue;
            }

            if (edit.Type is not { } type || own.Count > 0)
            {
                problems.AddRange(own);
                continue;
            }

            var name = edit.Name;
            var creating = !existing[edit];
            if (creating && mode == ChangeMode.Minus)
            {
                problems.Add($"The '-m' option is not valid since the '{name}' definition does not exist.");
                continue;
            }

            var attributes = new Dictionary<string, string>(edit.Attributes, StringComparer.Ordinal);
            if (mode != ChangeMode.Replace)
            {
                var current = type.ReadOwn(session, name);
                foreach (var attribute in attributes.Keys.ToList())
                {
                    attributes[attribute] = Combine(current.GetValueOrDefault(attribute), attributes[attribute], mode);
                }
            }

            if (creating)
            {
                if (type.HasAttribute("groups") && type is not SiteObjectType)
                {
                    attributes.TryAdd("groups", "all");
                }

                if (type is OsImageObjectType)
                {
                    attributes.TryAdd("imagetype", "NIM");
                }
            }

            own.AddRange(type.Check(session, name, attributes, creating));
            if (own.Count > 0)
            {
                problems.AddRange(own);
                continue;
            }

            type.Write(session, name, attributes, creating);
            changes.Add((name, creating));
        }

        if (problems.Count > 0)
        {
            throw Failed(problems, WriteFailed);
        }

        var lines = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{changes.Count} object definitions have been created or modified.") };
        var created = changes.Where(c => c.Creating).Select(c => c.Name).ToList();
        if (created.Count > 0)
        {
            lines.Add($"New object definitions '{string.Join(',', created)}' have been created.");
        }

        return lines;
    }

    /// <summary>
    /// <c>chdef -t TYPE NAME -n NEWNAME</c>: renames one object, moving every row that belongs to it (for a group,
    /// also its place in its members' groups lists).
    /// </summary>
    /// <returns>The line chdef prints.</returns>
    /// <exception cref="XcatException">More or fewer than one name, attributes given too, the object does not exist,
    /// the new name is taken or not a valid name, or the site object; nothing was changed.</exception>
    public IReadOnlyList<string> Rename(string? type, DefinitionOperands operands, string newName)
    {
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentNullException.ThrowIfNull(newName);
        var objectType = TypeNamed(type);
        if (operands.Attributes.Count > 0)
        {
            throw new XcatException("Cannot combine '-n' with attr=val pairs: rename the object first, then change it.");
        }

        if (objectType is SiteObjectType)
        {
            throw new XcatException($"The site definition '{SiteObjectType.ObjectName}' cannot be renamed.");
        }

        return _database.Write(session =>
        {
            var names = NamesOf(objectType, session, operands, creating: false);
            if (names.Count > 1)
            {
                throw new XcatException("The '-n' option (changing object name) can only work on one object.");
            }

            var name = names[0];
            if (!objectType.Exists(session, name))
            {
                throw new XcatException($"The {name} is not a valid object.");
            }

            if (objectType.NameProblem(newName) is { } problem)
            {
                throw new XcatException($"The new object name '{newName}' {problem}.");
            }

            if (objectType.Exists(session, newName))
            {
                throw new XcatException($"Object {newName} already exists.");
            }

            objectType.Rename(session, name, newName);
            return (IReadOnlyList<string>)[$"Changed the object name from {name} to {newName}."];
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
