namespace XcatImageBuild.Formats;

/// <summary>
/// Walks a directory tree as <c>find . -xdev</c> lists it — the root first, each directory followed by its contents —
/// with children in ordinal name order so that two walks of the same tree give the same order.
/// </summary>
public static class FileTree
{
    /// <summary>
    /// Every file under <paramref name="root"/> with its lstat, named <c>.</c> and <c>./relative/path</c>. Directories
    /// on another file system (mount points) are listed but not entered.
    /// </summary>
    /// <exception cref="IOException">The tree cannot be read.</exception>
    public static IReadOnlyList<(string Name, FileStatus Status)> Scan(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        // The root itself may be a link to the real tree (rootimg -> /scratch/rootimg); its contents are what is listed.
        root = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? root;
        var rootStatus = NativeFile.Stat(root);
        var found = new List<(string, FileStatus)> { (".", rootStatus) };
        ScanDirectory(".", root, rootStatus.Device, found);
        return found;
    }

    private static void ScanDirectory(string name, string path, (uint, uint) device, List<(string, FileStatus)> found)
    {
        var children = Directory.EnumerateFileSystemEntries(path).Select(Path.GetFileName).ToList();
        children.Sort(StringComparer.Ordinal);
        foreach (var child in children)
        {
            var childPath = Path.Combine(path, child!);
            var childName = $"{name}/{child}";
            var status = NativeFile.Stat(childPath);
            found.Add((childName, status));
            if (status.Kind == FileKind.Directory && status.Device == device)
            {
                ScanDirectory(childName, childPath, device, found);
            }
        }
    }
}
