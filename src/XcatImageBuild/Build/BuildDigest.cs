using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace XcatImageBuild.Build;

/// <summary>
/// The digests stage inputs and outputs are compared by: SHA-256 of small files' bytes, and of a stamp (size and
/// modification time) for large files and trees, so a plan of an unchanged site reads no more than metadata.
/// </summary>
public static class BuildDigest
{
    /// <summary>Files up to this size are digested by content; larger ones by size and modification time.</summary>
    public const long ContentLimit = 8 << 20;

    /// <summary>The digest of a text (UTF-8).</summary>
    public static string OfText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The digest of some bytes.</summary>
    public static string OfBytes(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The digest of a file or directory on disk: a small file's content, a large file's size and modification time,
    /// a directory's tree (<see cref="OfTree"/>); null when nothing is there.
    /// </summary>
    public static string? OfPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            return OfTree(path);
        }

        var file = new FileInfo(path);
        if (!file.Exists)
        {
            return null;
        }

        return file.Length <= ContentLimit ? OfBytes(File.ReadAllBytes(path)) : OfText(Stamp(file));
    }

    /// <summary>
    /// The digest of a tree's metadata: every entry's name, kind, mode, size, modification time and link target, in
    /// ordinal order. A file edited, added, removed or re-moded anywhere below changes it; contents are not read, so an
    /// 800 MB root costs one walk. Symbolic links are not followed. Null when the directory does not exist.
    /// </summary>
    public static string? OfTree(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var root = new DirectoryInfo(directory);
        if (!root.Exists)
        {
            return null;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        var entries = root.EnumerateFileSystemInfos("*", options)
            .Select(e => (Name: Path.GetRelativePath(directory, e.FullName), Entry: e))
            .OrderBy(e => e.Name, StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, entry) in entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name + "\0" + Stamp(entry) + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>One digest standing for several named ones (order matters).</summary>
    public static string Combine(IEnumerable<KeyValuePair<string, string>> digests)
    {
        ArgumentNullException.ThrowIfNull(digests);
        return OfText(string.Concat(digests.Select(d => $"{d.Key}\0{d.Value}\n")));
    }

    private static string Stamp(FileSystemInfo entry)
    {
        var kind = entry.LinkTarget is not null ? "l" : entry is DirectoryInfo ? "d" : "f";
        var size = entry is FileInfo file && kind == "f" ? file.Length : 0;
        // Directories' times change whenever a member is added or removed, which the member list already shows.
        var time = kind == "d" ? 0 : entry.LastWriteTimeUtc.Ticks;
        return string.Create(CultureInfo.InvariantCulture, $"{kind} {(int)entry.UnixFileMode} {size} {time} {entry.LinkTarget}");
    }
}
