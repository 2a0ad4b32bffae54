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
            var unknown = UnknownAttributes(objectType, operands.Attributes.Select(a => a.Key));
            var names = NamesOf(objectType, session, operands, creating: true);
            var attributes = operands.AttributeMap();
            return MakeAll(session, [.. names.Select(n => new ObjectEdit(objectType, n, attributes, []))], force, unknown);
        });
    }

    /// <summary>
    /// <c>mkdef -z [-f]</c>: defines every object of a stanza file (<see cref="StanzaFile"/>), each of the type its
    /// <c>objtype</c> names, in one transaction. With <paramref name="force"/> an existing object is replaced, and the
    /// site definition replaces every site key, so <c>lsdef -a -l -z | mkdef -z -f</c> reproduces every definition.
    /// </summary>
    /// <returns>The lines mkdef prints.</returns>
    /// <exception cref="XcatException">A malformed line, an object without or with an unknown objtype, an unknown
    /// attribute (each named by its line), or any mkdef refusal; nothing was changed.</exception>
    public IReadOnlyList<string> MakeFromStanza(string stanza, bool force)
    {
        ArgumentNullException.ThrowIfNull(stanza);
        var parsed = StanzaFile.Parse(stanza);
        if (parsed.Count == 0)
        {
            throw new XcatException("The stanza input defines no objects.");
        }

        return _database.Write(session => MakeAll(session, EditsOf(parsed), force, []));
    }

    /// <summary>Checks and writes the edits in dependency order; throws every problem together at the end.</summary>
    /// <param name="session">The transaction.</param>
    /// <param name="edits">The objects to define.</param>
    /// <param name="force">Replace existing objects.</param>
    /// <param name="shared">Problems of what all the edits share (the command line's attributes): reported once, and
    /// no edit is checked further, since none can be written.</param>
    private static IReadOnlyList<string> MakeAll(Tables.TableSession session, IReadOnlyList<ObjectEdit> edits, bool force, List<string> shared)
    {
        var problems = new List<string>(shared);

        // What exists is judged before anything is written: the nodes of a stanza make their groups exist as a side
        // effect, and those groups are still new definitions, not ones to replace.
        var existing = edits.Where(e => e.Type is not null).ToDictionary(e => e, e => e.Type is SiteObjectType || e.Type!.Exists(session, e.Name));

        // Each object is checked and, when it is sound, written at once, so a later object can rely on an earlier one
        // (a group on the nodes it lists); any problem throws at the end and the transaction rolls all of it back.
        foreach (var edit in InWriteOrder(edits))
        {
            var own = new List<string>(edit.Problems);
            if (shared.Count > 0)
            {
                continue;
            }

            if (edit.Type is not { } type)
            {
                problems.AddRange(own);
                continue;
            }

            // The site object always exists; mkdef -t site just sets its attributes, and -f replaces them all.
            var exists = existing[edit];
            if (own.Count == 0 && exists && type is not SiteObjectType && !force)
            {
                own.Add($"A definition for '{edit.Name}' already exists.");
                own.Add("To remove the old definition and replace it with a new definition use the force '-f' option.");
                own.Add("To change the existing definition use the 'chdef' command.");
            }

            if (own.Count == 0)
            {
                own.AddRange(type.Check(session, edit.Name, edit.Attributes, creating: true));
            }

            if (own.Count > 0)
            {
                problems.AddRange(own);
                continue;
            }

            if (exists && force)
            {
                if (type is SiteObjectType)
                {
                    SiteObjectType.Clear(session);
                }
                else
                {
                    type.Remove(session, edit.Name);
                }
            }

            type.Write(session, edit.Name, edit.Attributes, creating: type is not SiteObjectType);
        }

        if (problems.Count > 0)
        {
            throw Failed(problems, WriteFailed);
        }

        return [string.Create(CultureInfo.InvariantCulture, $"{edits.Count} object definitions have been created or modified.")];
    }
}
