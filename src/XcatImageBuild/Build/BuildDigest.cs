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

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, entry) in Walk(root, directory).OrderBy(e => e.Name, StringComparer.Ordinal))
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

    // Every entry below the root without following symbolic links: .NET's recursive enumeration descends into links to
    // directories, and an image root holds dev/fd -> /proc/self/fd, whose entries differ in every process.
    private static IEnumerable<(string Name, FileSystemInfo Entry)> Walk(DirectoryInfo root, string top)
    {
        var options = new EnumerationOptions { AttributesToSkip = 0, IgnoreInaccessible = true };
        var pending = new Stack<DirectoryInfo>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            foreach (var entry in pending.Pop().EnumerateFileSystemInfos("*", options))
            {
                yield return (Path.GetRelativePath(top, entry.FullName), entry);
                if (entry is DirectoryInfo child && entry.LinkTarget is null)
                {
                    pending.Push(child);
                }
            }
        }
    }

    private static string Stamp(FileSystemInfo entry)
    {
        var target = entry.LinkTarget;
        if (target is not null)
        {
            // A link's time and mode as .NET reads them are its target's, and an absolute target inside an image root
            // resolves on the host (/etc/mtab -> /proc/self/mounts): the target's name is all that belongs to the link.
            return "l " + target;
        }

        var kind = entry is DirectoryInfo ? "d" : "f";
        var size = entry is FileInfo file ? file.Length : 0;
        // Directories' times change whenever a member is added or removed, which the member list already shows.
        var time = kind == "d" ? 0 : entry.LastWriteTimeUtc.Ticks;
        return string.Create(CultureInfo.InvariantCulture, $"{kind} {(int)entry.UnixFileMode} {size} {time}");
    }
}
