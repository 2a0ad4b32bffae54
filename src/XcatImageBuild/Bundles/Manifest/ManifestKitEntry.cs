namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// One row of the kit, kitrepo or kitcomponent table carried in a manifest: the key it is filed under (kitname,
/// kitreponame or kitcompname) and its non-empty columns in table order (the key column included, as xCAT's
/// getAttribs returns it).
/// </summary>
public sealed class ManifestKitEntry
{
    /// <param name="name">The row's key.</param>
    /// <param name="columns">Its columns; copied.</param>
    public ManifestKitEntry(string name, IEnumerable<KeyValuePair<string, string>>? columns = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Columns = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, value) in columns ?? [])
        {
            Columns[column] = value;
        }
    }

    /// <summary>The row's key: the kit, kit repository or kit component name.</summary>
    public string Name { get; }

    /// <summary>The row's columns, in the order they were added.</summary>
    public OrderedDictionary<string, string> Columns { get; }
}
