namespace XcatImageBuild.Formats.Tar;

/// <summary>Writes a file tree's members as a pax tar archive: the facade over <see cref="PaxTarWriter"/> that knows files.</summary>
public static class TarArchive
{
    /// <summary>
    /// Writes <paramref name="entries"/> (files under <paramref name="root"/>) to <paramref name="output"/>. A
    /// hard-linked file's data goes with its first member; later members are hard links to it. Extended attributes
    /// (file capabilities, SELinux labels, ACLs) are kept as <c>SCHILY.xattr.*</c> records, which
    /// <c>tar --xattrs --xattrs-include='*'</c> restores.
    /// </summary>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A file changed while it was read, or is a socket.</exception>
    public static void Write(Stream output, string root, IReadOnlyList<ArchiveEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(entries);
        var firstLink = new Dictionary<long, string>();
        using var writer = new PaxTarWriter(output, leaveOpen: true);
        foreach (var entry in entries)
        {
            var status = entry.Status;
            var name = status.Kind == FileKind.Directory ? (entry.Name == "." ? "./" : entry.Name + "/") : entry.Name;
            var header = new TarHeader(
                name, status.Kind, status.Permissions, status.Uid, status.Gid, status.ModificationTime, 0, status.LinkTarget, null,
                status.SpecialDevice.Major, status.SpecialDevice.Minor, status.ExtendedAttributes);
            if (entry.IsHardLinked)
            {
                if (firstLink.TryGetValue(entry.Inode, out var first))
                {
                    writer.WriteEntry(header with { HardLinkTo = first }, null);
                    continue;
                }

                firstLink[entry.Inode] = name;
            }

            if (status.Kind == FileKind.RegularFile && status.Size > 0)
            {
                using var data = new FileStream(Path.Combine(root, entry.RelativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 0);
                writer.WriteEntry(header with { DataLength = status.Size }, data);
            }
            else
            {
                writer.WriteEntry(header, null);
            }
        }

        writer.Finish();
    }
}
