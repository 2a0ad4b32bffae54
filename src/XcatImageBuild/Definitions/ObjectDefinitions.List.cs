namespace XcatImageBuild.Definitions;

public sealed partial class ObjectDefinitions
{
    /// <summary>
    /// <c>lsdef -t TYPE [NAMES] [-l|-s] [-z]</c>: without names, one <c>name  (type)</c> line per object; with names
    /// (or <c>-l</c>), <c>Object name: NAME</c> and one <c>    attr=value</c> line per non-empty attribute, sorted;
    /// <c>-z</c> prints xCAT's stanza format (xcat-spec §4.3).
    /// </summary>
    /// <returns>The lines lsdef prints.</returns>
    /// <exception cref="XcatException">Unknown type, a named object that is not defined, or no object of the type at
    /// all (xCAT's <c>Could not get objects of type</c>).</exception>
    public IReadOnlyList<string> List(string? type, DefinitionOperands operands, ListStyle style)
    {
        ArgumentNullException.ThrowIfNull(operands);
        ArgumentNullException.ThrowIfNull(style);
        var objectType = TypeNamed(type);
        return _database.Read(session =>
        {
            var unknown = UnknownAttributes(objectType, operands);
            if (unknown.Count > 0)
            {
                throw XcatException.FromMany(unknown);
            }

            IReadOnlyList<string> names;
            bool named = !string.IsNullOrEmpty(operands.ObjectNames) || objectType is SiteObjectType;
            if (!string.IsNullOrEmpty(operands.ObjectNames))
            {
                names = [.. NamesOf(objectType, session, operands, creating: false).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
                var missing = names.Where(n => !objectType.Exists(session, n))
                    .Select(n => $"Could not find an object named '{n}' of type '{objectType.Name}'.").ToList();
                if (missing.Count > 0)
                {
                    throw XcatException.FromMany(missing);
                }
            }
            else
            {
                names = objectType.All(session);
                if (names.Count == 0)
                {
                    throw new XcatException($"Could not get objects of type '{objectType.Name}'.");
                }
            }

            var isLong = (named || style.AllAttributes) && !style.NamesOnly;
            var lines = new List<string>();
            if (style.Stanza)
            {
                lines.Add("# <xCAT data object stanza file>");
            }

            foreach (var name in names)
            {
                if (style.Stanza)
                {
                    lines.Add(string.Empty);
                    lines.Add($"{name}:");
                }
                else
                {
                    lines.Add(isLong ? $"Object name: {name}" : $"{name}  ({objectType.Name})");
                }

                if (!isLong)
                {
                    continue;
                }

                if (style.Stanza)
                {
                    lines.Add($"    objtype={objectType.Name}");
                }

                foreach (var (attribute, value) in objectType.ReadForDisplay(session, name, style.Stanza).OrderBy(a => a.Key, StringComparer.Ordinal))
                {
                    lines.Add($"    {attribute}={value}");
                }
            }

            return (IReadOnlyList<string>)lines;
        });
    }
}
