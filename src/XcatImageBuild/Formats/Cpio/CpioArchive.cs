using System.Text;

namespace XcatImageBuild.Formats.Cpio;

/// <summary>Writes a file tree's members as a newc cpio archive: the facade over <see cref="CpioWriter"/> that knows files.</summary>
public static class CpioArchive
{
    /// <summary>
    /// Writes <paramref name="entries"/> (files under <paramref name="root"/>) and the trailer to
    /// <paramref name="output"/>. A hard-linked file's data goes with its last member, as GNU cpio writes it; the
    /// kernel and GNU cpio link the others to it. newc has no room for extended attributes; they are not written.
    /// </summary>
    /// <param name="output">Receives the archive.</param>
    /// <param name="root">The directory the entries were scanned from.</param>
    /// <param name="entries">The members, in order.</param>
    /// <param name="directoryName">
    /// Null to name members <c>.</c> and <c>./path</c>, as <c>find .</c> lists them inside the tree; else the name the
    /// tree has in its parent, to name them <c>rootimg</c> and <c>rootimg/path</c>, as <c>find rootimg</c> lists them
    /// there.
    /// </param>
    /// <exception cref="IOException">A file cannot be read.</exception>
    /// <exception cref="InvalidDataException">A file does not fit in newc (4 GiB or more) or changed while it was read.</exception>
    public static void Write(Stream output, string root, IReadOnlyList<ArchiveEntry> entries, string? directoryName = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(entries);
        var lastLink = new Dictionary<long, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].IsHardLinked)
            {
                lastLink[entries[i].Inode] = i;
            }
        }

        using var writer = new CpioWriter(output, leaveOpen: true);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var status = entry.Status;
            var header = new CpioHeader(
                directoryName is null ? entry.Name : directoryName + entry.Name[1..], entry.Inode, status.TypeBits | status.Permissions, status.Uid, status.Gid, entry.Links, status.ModificationTime, 0,
                status.SpecialDevice.Major, status.SpecialDevice.Minor);
            switch (status.Kind)
            {
                case FileKind.SymbolicLink:
                    var target = Encoding.UTF8.GetBytes(status.LinkTarget ?? string.Empty);
                    writer.WriteEntry(header with { DataLength = target.Length }, new MemoryStream(target));
                    break;
                case FileKind.RegularFile when status.Size > 0 && (!entry.IsHardLinked || lastLink[entry.Inode] == i):
                    using (var data = new FileStream(Path.Combine(root, entry.RelativePath), FileMode.Open, FileAccess.Read, FileShare.Read, 0))
                    {
                        writer.WriteEntry(header with { DataLength = status.Size }, data);
                    }

                    break;
                default:
                    writer.WriteEntry(header, null);
                    break;
            }
        }

        writer.Finish();
    }
}
