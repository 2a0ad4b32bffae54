namespace XcatImageBuild.Bundles.Export;

/// <summary>
/// Collects a bundle's members by name. xCAT copies files flat by basename and lets a second file of the same
/// name overwrite the first (xcat-spec §1.10), so import would restore the wrong content to one of the paths; here
/// that is an error naming both paths. The same file named twice is one member.
/// </summary>
internal sealed class ExportMemberPlan
{
    private readonly Dictionary<string, ExportMember> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _reserved = new(StringComparer.Ordinal);
    private readonly List<string> _collisions = [];

    /// <summary>Keeps a name for a member the exporter writes itself.</summary>
    public void Reserve(string name, string what) => _reserved[name] = what;

    /// <summary>Adds a file; a name with directories (<c>extra/x</c>) brings its directory members along.</summary>
    public void AddFile(string name, string source, string origin)
    {
        var parts = name.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            Add(new ExportMember(string.Join('/', parts[..i]), null, origin));
        }

        Add(new ExportMember(name, source, origin));
    }

    /// <summary>Adds a directory and everything under it; files behind symbolic links are stored as files.</summary>
    public void AddTree(string name, string directory, string origin, bool skipTopLevelDotfiles)
    {
        var parts = name.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            Add(new ExportMember(string.Join('/', parts[..i]), null, origin));
        }

        var options = new EnumerationOptions { AttributesToSkip = 0, ReturnSpecialDirectories = false };
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (skipTopLevelDotfiles && entry.Name.StartsWith('.'))
            {
                continue;
            }

            var child = $"{name}/{entry.Name}";
            var childOrigin = $"{origin.TrimEnd('/')}/{entry.Name}";
            if (entry is DirectoryInfo && entry.LinkTarget is null)
            {
                AddTree(child, entry.FullName, childOrigin, skipTopLevelDotfiles: false);
            }
            else if (File.Exists(entry.FullName))
            {
                AddFile(child, entry.FullName, childOrigin);
            }
        }
    }

    /// <summary>The members in the order they were added.</summary>
    /// <exception cref="XcatException">Two different files would share a name; one line per clash.</exception>
    public List<ExportMember> Members()
    {
        if (_collisions.Count > 0)
        {
            throw XcatException.FromMany(_collisions);
        }

        // The flat files first, then the extra/ tree; each sorted ordinally, so parents precede children.
        var flat = _byName.Values.Where(m => m.Source is not null && !m.Name.Contains('/', StringComparison.Ordinal));
        var tree = _byName.Values.Except(flat);
        return [.. flat.OrderBy(m => m.Name, StringComparer.Ordinal), .. tree.OrderBy(m => m.Name, StringComparer.Ordinal)];
    }

    private void Add(ExportMember member)
    {
        if (member.Source is not null && !member.Name.Contains('/', StringComparison.Ordinal) && _reserved.TryGetValue(member.Name, out var what))
        {
            _collisions.Add($"Cannot export {member.Origin}: its name '{member.Name}' is used by {what} in the bundle.");
            return;
        }

        if (!_byName.TryGetValue(member.Name, out var existing))
        {
            _byName[member.Name] = member;
            return;
        }

        if (existing.Source is null && member.Source is null)
        {
            return;
        }

        if (existing.Source is not null && member.Source is not null &&
            Path.GetFullPath(existing.Source) == Path.GetFullPath(member.Source))
        {
            return;
        }

        _collisions.Add(
            $"{existing.Origin} and {member.Origin} would both be stored as '{member.Name}' in the bundle; " +
            "import could restore only one of them. Rename one of the files.");
    }
}
