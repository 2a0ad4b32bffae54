using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// One xCAT object type as mkdef, chdef, lsdef and rmdef see it: which attributes it has, where they are stored,
/// which objects exist and how one is read, written and removed.
/// </summary>
internal abstract class ObjectType
{
    /// <summary>The type's name as <c>-t</c> takes it.</summary>
    public abstract string Name { get; }

    /// <summary>Whether <paramref name="attribute"/> is an attribute of this type.</summary>
    public abstract bool HasAttribute(string attribute);

    /// <summary>Every defined object of this type, sorted by name.</summary>
    public abstract IReadOnlyList<string> All(TableSession session);

    /// <summary>Whether an object of this name is defined.</summary>
    public abstract bool Exists(TableSession session, string name);

    /// <summary>The object's own non-empty attributes, as stored (what chdef -p and -m work on).</summary>
    public abstract IReadOnlyDictionary<string, string> ReadOwn(TableSession session, string name);

    /// <summary>
    /// The object's non-empty attributes as lsdef shows them (inherited values included); <paramref name="stanza"/> is
    /// the <c>-z</c> form, which xCAT prints without display-only additions.
    /// </summary>
    public virtual IReadOnlyDictionary<string, string> ReadForDisplay(TableSession session, string name, bool stanza) => ReadOwn(session, name);

    /// <summary>
    /// The names a command line's object operand stands for. Most types take a comma list; nodes take a noderange.
    /// </summary>
    public virtual IReadOnlyList<string> Names(TableSession session, string operand, bool creating) =>
        [.. operand.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];

    /// <summary>
    /// Checks that <paramref name="attributes"/> can be written to the object; returns a message per problem.
    /// </summary>
    public virtual IEnumerable<string> Check(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating) => [];

    /// <summary>Writes the attributes (an empty value clears the column); creates the object's rows when new.</summary>
    public abstract void Write(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating);

    /// <summary>Removes the object and every row that belongs to it.</summary>
    public abstract void Remove(TableSession session, string name);

    /// <summary>Why <paramref name="name"/> cannot name an object of this type (a phrase such as <c>contains '/'</c>), or null.</summary>
    public virtual string? NameProblem(string name) => name.Length == 0 ? "is empty" : null;

    /// <summary>Gives the object a new name: every row that belongs to it is keyed by the new name.</summary>
    public abstract void Rename(TableSession session, string name, string newName);

    /// <summary>Why <paramref name="name"/> is not one node or group name, or null when it is.</summary>
    protected static string? NodeNameProblem(string name)
    {
        try
        {
            var parsed = Nodes.NodeRange.Parse(name);
            return parsed.Count == 1 && parsed[0] == name ? null : "is a range of names, not one name";
        }
        catch (XcatException)
        {
            return "is not a node or group name (letters, digits, '.', '_' and '-' only, not starting with '-')";
        }
    }

    /// <summary>
    /// Moves the row of <paramref name="table"/> keyed by <paramref name="key"/> to <paramref name="newKey"/>, with
    /// every column as it was; nothing when there is no such row.
    /// </summary>
    protected static void MoveRow(TableSession session, TableSchema table, string[] key, string[] newKey)
    {
        var row = session.Find(table, key);
        if (row is null)
        {
            return;
        }

        session.Delete(table, key);
        var values = table.Columns.Where(c => !table.Keys.Contains(c)).ToDictionary(c => c, c => row[c], StringComparer.Ordinal);
        session.Set(table, newKey, values);
    }

    /// <summary>Writes attributes to their tables, one setAttribs per table touched, keyed by <paramref name="key"/>.</summary>
    protected static void WriteColumns(TableSession session, string key, IEnumerable<(ObjectAttribute Attribute, string Value)> values)
    {
        foreach (var table in values.GroupBy(v => v.Attribute.Table))
        {
            var columns = table.ToDictionary(v => v.Attribute.Column, v => v.Value.Length == 0 ? null : (string?)v.Value, StringComparer.Ordinal);
            session.Set(table.Key, [key], columns);
        }
    }

    /// <summary>The non-empty values of <paramref name="attributes"/> in the row of <paramref name="table"/> keyed by <paramref name="key"/>.</summary>
    protected static IEnumerable<KeyValuePair<string, string>> ReadColumns(TableSession session, TableSchema table, string key, IEnumerable<ObjectAttribute> attributes)
    {
        var row = session.Find(table, key);
        if (row is null || row.IsDisabled)
        {
            yield break;
        }

        foreach (var attribute in attributes.Where(a => a.Table == table))
        {
            var value = row[attribute.Column];
            if (!string.IsNullOrEmpty(value))
            {
                yield return new KeyValuePair<string, string>(attribute.Name, value);
            }
        }
    }
}
