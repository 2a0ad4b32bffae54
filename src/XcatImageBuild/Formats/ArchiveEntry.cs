namespace XcatImageBuild.Formats;

/// <summary>
/// One member of an archive of a file tree: its name (<c>.</c> or <c>./relative/path</c>), its status, the
/// archive-wide inode number it gets and how many members share that inode.
/// </summary>
/// <param name="Name">The member name: <c>.</c> for the root, else <c>./relative/path</c>.</param>
/// <param name="Status">The file's metadata (mtime already clamped when the archive is reproducible).</param>
/// <param name="Inode">A small number, the same for every hard link of one file, assigned in archive order.</param>
/// <param name="Links">How many members of the archive are links to this inode (1 for most files).</param>
public sealed record ArchiveEntry(string Name, FileStatus Status, long Inode, int Links)
{
    /// <summary>The path relative to the tree's root, empty for the root itself.</summary>
    public string RelativePath => Name.Length <= 2 ? string.Empty : Name[2..];

    /// <summary>Whether this member shares its file with others in the archive (a hard link).</summary>
    public bool IsHardLinked => Links > 1;

    /// <summary>
    /// Turns scanned files into archive members: inodes renumbered 1, 2, 3... in archive order (hard links of one file
    /// share a number and know how many of them the archive holds), and mtimes clamped to
    /// <paramref name="clampTime"/> when given (SOURCE_DATE_EPOCH), so archives of the same tree are byte-identical.
    /// </summary>
    public static IReadOnlyList<ArchiveEntry> Number(IEnumerable<(string Name, FileStatus Status)> files, long? clampTime = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        var numbers = new Dictionary<((uint, uint) Device, ulong Inode), long>();
        var linkCounts = new Dictionary<long, int>();
        var numbered = new List<(string Name, FileStatus Status, long Inode)>();
        long next = 0;
        foreach (var (name, status) in files)
        {
            var kept = clampTime is { } clamp && status.ModificationTime > clamp ? status with { ModificationTime = clamp } : status;
            long inode;
            if (status.Kind != FileKind.Directory && status.LinkCount > 1)
            {
                var key = (status.Device, status.Inode);
                if (!numbers.TryGetValue(key, out inode))
                {
                    inode = ++next;
                    numbers[key] = inode;
                }
            }
            else
            {
                inode = ++next;
            }

            linkCounts[inode] = linkCounts.GetValueOrDefault(inode) + 1;
            numbered.Add((name, kept, inode));
        }

        return [.. numbered.Select(n => new ArchiveEntry(n.Name, n.Status, n.Inode, linkCounts[n.Inode]))];
    }
}
