using System.Security.Cryptography;

namespace XcatImageBuild.Diff;

/// <summary>
/// The contents of chosen files, kept while an archive is read so that a reproducibility check can look inside the
/// files that differ (a build path, a timestamp) without unpacking anything to disk. A file larger than
/// <see cref="MaxKept"/> is hashed but not kept.
/// </summary>
public sealed class RootFileContents
{
    /// <summary>The largest file whose contents are kept.</summary>
    public const long MaxKept = 64L << 20;

    private readonly IReadOnlySet<string> _wanted;
    private readonly Dictionary<string, byte[]> _kept = new(StringComparer.Ordinal);

    /// <param name="wanted">The paths (as the archive reader names them: absolute, or a bundle member's name) to keep.</param>
    public RootFileContents(IReadOnlySet<string> wanted)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        _wanted = wanted;
    }

    /// <summary>The kept contents of <paramref name="path"/>, or null when it was not kept (not wanted, absent or too large).</summary>
    public byte[]? this[string path] => _kept.GetValueOrDefault(path);

    /// <summary>Whether <paramref name="path"/> is one to keep.</summary>
    public bool Wants(string path) => _wanted.Contains(path);

    /// <summary>Reads <paramref name="data"/> to its end, keeps it when small enough, and returns its SHA-256.</summary>
    public string Keep(string path, Stream data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var buffer = new MemoryStream();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[1 << 16];
        var tooLarge = false;
        int read;
        while ((read = data.Read(chunk)) > 0)
        {
            hash.AppendData(chunk, 0, read);
            tooLarge |= buffer.Length + read > MaxKept;
            if (!tooLarge)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        if (!tooLarge)
        {
            _kept[path] = buffer.ToArray();
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A hard link: <paramref name="path"/> has the contents kept for <paramref name="target"/>.</summary>
    public void Alias(string path, string target)
    {
        if (_wanted.Contains(path) && _kept.TryGetValue(target, out var content))
        {
            _kept[path] = content;
        }
    }
}
