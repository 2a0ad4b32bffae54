using XcatImageBuild.Formats;

namespace XcatImageBuild.Images;

/// <summary>
/// Deletes a directory tree without following a symbolic link (a link is removed, never what it points to) and without
/// crossing into another file system: a directory on another device is a mount that appeared after the checks, and
/// the removal stops there with an error rather than delete through it (xCAT #1936).
/// </summary>
internal static class TreeRemoval
{
    /// <summary>Removes <paramref name="path"/>: a file or link is unlinked, a directory emptied and removed.</summary>
    /// <exception cref="XcatException">A directory below lies on another file system, or a file cannot be removed.</exception>
    public static void Remove(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var status = NativeFile.Stat(path, readExtendedAttributes: false);
        if (status.Kind != FileKind.Directory)
        {
            File.Delete(path);
            return;
        }

        RemoveDirectory(path, status.Device);
    }

    private static void RemoveDirectory(string directory, (uint Major, uint Minor) device)
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory))
        {
            var status = NativeFile.Stat(entry, readExtendedAttributes: false);
            if (status.Kind != FileKind.Directory)
            {
                File.Delete(entry);
                continue;
            }

            if (status.Device != device)
            {
                throw new XcatException($"{entry} is on another file system (a mount); rmimage stops rather than delete through it. Unmount it and run rmimage again.");
            }

            RemoveDirectory(entry, device);
        }

        Directory.Delete(directory);
    }
}
