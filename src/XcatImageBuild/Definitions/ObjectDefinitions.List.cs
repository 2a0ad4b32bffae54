using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

public sealed partial class ObjectDefinitions
{
    private const string StanzaHeader = "# <xCAT data object stanza file>";

    /// <summary>
    /// <c>lsdef [-t TYPES|-a] [NAMES] [-l|-s|-i ATTRS [-c]] [-z] [-w COND]...</c>: without names, one
    /// <c>name  (type)</c> line per object; with names (or <c>-l</c>, <c>-i</c>, <c>-z</c>), <c>Object name: NAME</c> and
    /// one <c>    attr=value</c> line per non-empty attribute, sorted (each <c>-i</c> attribute shown even when empty);
    /// <c>-z</c> prints xCAT's stanza format (xcat-spec §4.3). With several types each object carries its type. A named
    /// object that does not exist is an error while the others are still listed, as in xCAT.
    /// </summary>
    /// <returns>The lines lsdef prints and its errors.</returns>
    /// <exception cref="XcatException">Flags that cannot be combined, an unknown type, an unknown <c>-i</c> or
    /// <c>-w</c> attribute, or attr=val pairs; nothing was listed.</exception>
    public DefinitionListing List(ListRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckFlags(request);
        var types = request.All ? TypesByName : TypesNamed(request.Types);
        CheckAttributes(request, types);
        var named = !string.IsNullOrEmpty(request.Operands.ObjectNames);
        return _database.Read(session =>
        {
            var errors = new List<string>();
            var found = Found(session, request, types, errors);
            var isLong = (request.LongForm || named || request.Attributes is not null || request.Stanza || (types is [SiteObjectType] && !request.All)) && !request.NamesOnly;
            var lines = new List<string>();
            if (request.Stanza)
            {
                lines.Add(StanzaHeader);
            }

            var candidates = 0;
            foreach (var (type, names) in found)
            {
                foreach (var name in names)
                {
                    candidates++;
                    IReadOnlyDictionary<string, string>? values = null;
                    if (isLong || request.Where.Count > 0)
                    {
                        values = type.ReadForDisplay(session, name, request.Stanza);
                    }

                    if (request.Where.Any(condition => !condition.Matches(values!)))
                    {
                        continue;
                    }

                    if (isLong)
                    {
                        AddLong(lines, request, type, name, values!, types.Count > 1);
                    }
                    else if (request.Stanza)
                    {
                        lines.Add(string.Empty);
                        lines.Add($"{name}:");
                    }
                    else
                    {
                        // xCAT's -a listing has one space before the type, the others two (DBobjectdefs.pm defls).
                        lines.Add(request.All ? $"{name} ({type.Name})" : $"{name}  ({type.Name})");
                    }
                }
            }

            if (lines.Count == 0 && candidates > 0)
            {
                lines.Add("No object definitions have been found");
            }

            return new DefinitionListing(lines, errors);
        });
    }

    private static void CheckFlags(ListRequest request)
    {
        var problems = new List<string>();
        if (request.LongForm && request.NamesOnly)
        {
            problems.Add("The flags '-l' and '-s' cannot be used together.");
        }

        if (request.Attributes is not null && request.NamesOnly)
        {
            problems.Add("The flags '-i' and '-s' cannot be used together.");
        }

        if (request.Compress && request.Attributes is null)
        {
            problems.Add("The flags '-c' and '-i' must be used together.");
        }

        if (request.All && request.Types is not null)
        {
            problems.Add("The flags '-a' and '-t' cannot be used together.");
        }

        if (request.All && !string.IsNullOrEmpty(request.Operands.ObjectNames))
        {
            problems.Add("Cannot use '-a' with '-o', a noderange or file input.");
        }

        if (request.Operands.Attributes.Count > 0)
        {
            problems.Add($"lsdef takes no attr=val pairs ({string.Join(' ', request.Operands.Attributes.Select(a => a.Key + "=" + a.Value))}); select objects with -w attr==val.");
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }
    }

    /// <summary>Every <c>-i</c> attribute must be one of each type's (any name is a site key); every <c>-w</c>
    /// attribute one of some type's, so a typo is an error and not an empty listing.</summary>
    private static void CheckAttributes(ListRequest request, IReadOnlyList<ObjectType> types)
    {
        var problems = new List<string>();
        foreach (var type in types.Where(t => t is not SiteObjectType && !request.All))
        {
            problems.AddRange(UnknownAttributes(type, request.Attributes ?? []));
        }

        foreach (var attribute in request.Where.Select(w => w.Attribute).Distinct(StringComparer.Ordinal))
        {
            if (!types.Any(t => t.HasAttribute(attribute)))
            {
                problems.Add($"'{attribute}' is not a valid attribute name for an object type of '{string.Join(",", types.Select(t => t.Name))}'.");
            }
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }
    }

    /// <summary>The objects to list, per type in order, each type's sorted by name; the names not found become errors.</summary>
    private static List<(ObjectType Type, IReadOnlyList<string> Names)> Found(TableSession session, ListRequest request, IReadOnlyList<ObjectType> types, List<string> errors)
    {
        var found = new List<(ObjectType, IReadOnlyList<string>)>();
        var operand = request.Operands.ObjectNames;
        if (string.IsNullOrEmpty(operand))
        {
            foreach (var type in types)
            {
                var all = type.All(session);
                if (all.Count == 0 && !request.All)
                {
                    errors.Add($"Could not get objects of type '{type.Name}'.");
                }

                found.Add((type, all));
            }

            return found;
        }

        var missing = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            // The site object's name is checked like any other here, so 'lsdef -t site x' reports x as missing.
            var candidates = type is SiteObjectType
                ? operand.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                : type.Names(session, operand, creating: false);
            var present = candidates.Distinct(StringComparer.Ordinal).Where(n => type.Exists(session, n)).Order(StringComparer.Ordinal).ToList();
            seen.UnionWith(present);
            missing.AddRange(candidates);
            found.Add((type, present));
        }

        var typeNames = string.Join(",", types.Select(t => t.Name));
        foreach (var name in missing.Distinct(StringComparer.Ordinal).Where(n => !seen.Contains(n)))
        {
            errors.Add($"Could not find an object named '{name}' of type '{typeNames}'.");
        }

        return found;
    }

    private static void AddLong(List<string> lines, ListRequest request, ObjectType type, string name, IReadOnlyDictionary<string, string> values, bool several)
    {
        if (request.Stanza)
        {
            lines.Add(string.Empty);
            lines.Add($"{name}:");
            lines.Add($"    objtype={type.Name}");
        }
        else if (several)
        {
            lines.Add($"Object name: {name}  ({type.Name})");
        }
        else if (!request.Compress)
        {
            lines.Add($"Object name: {name}");
        }

        if (request.Attributes is null)
        {
            foreach (var (attribute, value) in values.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                lines.Add($"    {attribute}={value}");
            }

            return;
        }

        // Asked-for attributes are shown even when empty, except site keys that are not set (DBobjectdefs.pm defls).
        var shown = request.Attributes.Distinct(StringComparer.Ordinal)
            .Where(a => type is not SiteObjectType || values.ContainsKey(a))
            .Order(StringComparer.Ordinal);
        foreach (var attribute in shown)
        {
            var value = values.GetValueOrDefault(attribute, string.Empty);
            lines.Add(request.Compress ? $"{name}: {attribute}={value}" : $"    {attribute}={value}");
        }
    }
}
