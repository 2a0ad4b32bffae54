using System.Formats.Tar;
using System.IO.Compression;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>Reads an exported bundle's members and writes a changed copy, as someone tampering with it would.</summary>
internal static class BundleEdit
{
    /// <summary>Every regular file of a bundle by member name (<c>./img/SHA256SUMS</c>).</summary>
    public static Dictionary<string, byte[]> Files(string bundle)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var gzip = new GZipStream(File.OpenRead(bundle), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var data = new MemoryStream();
                entry.DataStream?.CopyTo(data);
                files[entry.Name] = data.ToArray();
            }
        }

        return files;
    }

    /// <summary>
    /// Writes <paramref name="output"/>: the bundle with each regular file passed through <paramref name="change"/>
    /// (null drops it) and <paramref name="added"/> appended.
    /// </summary>
    public static void Rewrite(string bundle, string output, Func<string, byte[], byte[]?> change, IReadOnlyDictionary<string, byte[]>? added = null)
    {
        using var source = new GZipStream(File.OpenRead(bundle), CompressionMode.Decompress);
        using var reader = new TarReader(source);
        using var target = new GZipStream(File.Create(output), CompressionLevel.Fastest);
        using var writer = new TarWriter(target, TarEntryFormat.Ustar);
        while (reader.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile))
            {
                writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, entry.Name) { Mode = entry.Mode, ModificationTime = entry.ModificationTime });
                continue;
            }

            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            if (change(entry.Name, data.ToArray()) is { } changed)
            {
                Write(writer, entry.Name, changed);
            }
        }

        foreach (var (name, bytes) in added ?? new Dictionary<string, byte[]>())
        {
            Write(writer, name, bytes);
        }
    }

    private static void Write(TarWriter writer, string name, byte[] bytes) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            DataStream = new MemoryStream(bytes),
        });
}
