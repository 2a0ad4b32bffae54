using System.Globalization;
using System.Text;
using XcatImageBuild.Images;

namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// The <c>./&lt;image&gt;/SHA256SUMS</c> file our bundles carry (xCAT's have none, and xCAT's importer ignores it):
/// one line per regular file of the image directory — manifest.xml and <c>extra/</c> included, SHA256SUMS itself
/// excluded — sorted ordinally by path, in <c>sha256sum</c>'s format <c>&lt;64 lowercase hex&gt;  &lt;path&gt;</c>, so
/// <c>cd &lt;image&gt; &amp;&amp; sha256sum -c SHA256SUMS</c> verifies an extracted bundle.
/// </summary>
public sealed class ChecksumList
{
    /// <summary>The list's file name inside the image directory.</summary>
    public const string FileName = "SHA256SUMS";

    /// <summary>The file beside it that holds its minisign signature; the list cannot name it, since it signs the list.</summary>
    public const string SignatureFileName = FileName + ".minisig";

    private const int HexLength = 64;

    /// <summary>A list of these entries, sorted ordinally by path.</summary>
    /// <exception cref="ArgumentException">A path is unsafe or not representable, a digest is malformed, or a path repeats.</exception>
    public ChecksumList(IEnumerable<ChecksumEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var sorted = entries.OrderBy(e => e.Path, StringComparer.Ordinal).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            var problem = PathProblem(sorted[i].Path) ?? DigestProblem(sorted[i].Sha256);
            if (problem is not null)
            {
                throw new ArgumentException($"Checksum entry '{sorted[i].Path}': {problem}", nameof(entries));
            }

            if (i > 0 && sorted[i - 1].Path == sorted[i].Path)
            {
                throw new ArgumentException($"Checksum entry '{sorted[i].Path}' appears twice.", nameof(entries));
            }
        }

        Entries = sorted;
    }

    /// <summary>The entries, sorted ordinally by path.</summary>
    public IReadOnlyList<ChecksumEntry> Entries { get; }

    /// <summary>The file's text: one <c>&lt;hex&gt;  &lt;path&gt;\n</c> line per entry.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        foreach (var entry in Entries)
        {
            text.Append(entry.Sha256).Append("  ").Append(entry.Path).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The file's bytes (UTF-8, no byte order mark).</summary>
    public byte[] ToBytes() => new UTF8Encoding(false).GetBytes(Format());

    /// <summary>Parses a SHA256SUMS file; accepts sha256sum's text (<c>"  "</c>) and binary (<c>" *"</c>) markers.</summary>
    /// <exception cref="InvalidDataException">A line is malformed, escaped, names an unsafe path or repeats one; the message names the line.</exception>
    public static ChecksumList Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ChecksumEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1];
            if (number == lines.Length && line.Length == 0)
            {
                break;
            }

            var where = string.Create(CultureInfo.InvariantCulture, $"{FileName} line {number}");
            if (line.Length < HexLength + 3 || (line[HexLength + 1] != ' ' && line[HexLength + 1] != '*') || line[HexLength] != ' ')
            {
                throw new InvalidDataException($"{where} is not '<sha256>  <path>': {line}");
            }

            var digest = line[..HexLength];
            var path = line[(HexLength + 2)..];
            var problem = DigestProblem(digest) ?? PathProblem(path);
            if (problem is not null)
            {
                throw new InvalidDataException($"{where}: {problem}");
            }

            if (!seen.Add(path))
            {
                throw new InvalidDataException($"{where}: '{path}' is listed twice.");
            }

            entries.Add(new ChecksumEntry(path, digest));
        }

        return new ChecksumList(entries);
    }

    /// <summary>Reads and parses a SHA256SUMS file.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or not UTF-8.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ChecksumList ReadFile(string path)
    {
        string text;
        try
        {
            // Bytes, not ReadAllText: a byte order mark must not switch the list to another encoding.
            text = new UTF8Encoding(false, true).GetString(File.ReadAllBytes(path));
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"{FileName} is not UTF-8 text.", e);
        }

        return Parse(text);
    }

    /// <summary>
    /// Checks an image directory's regular files against this list. Every listed file must be present and match,
    /// and every regular file present must be listed, so nothing can be slipped in beside the list.
    /// </summary>
    /// <param name="files">Every regular file of the image directory except SHA256SUMS, by path relative to it, with its SHA-256 in lowercase hex.</param>
    /// <param name="imageDirectory">The image directory's path in the bundle, for messages (empty for the bundle's root).</param>
    /// <returns>One message per problem, naming the file; empty when the files match.</returns>
    public IReadOnlyList<string> Verify(IReadOnlyDictionary<string, string> files, string imageDirectory)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(imageDirectory);
        var prefix = imageDirectory.Length == 0 ? string.Empty : imageDirectory + "/";
        var list = prefix + FileName;
        var problems = new List<string>();
        var unlisted = files.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var entry in Entries)
        {
            if (!unlisted.Remove(entry.Path))
            {
                problems.Add($"The checksum list {list} names {entry.Path}, which the bundle does not have.");
            }
            else if (!string.Equals(files[entry.Path], entry.Sha256, StringComparison.Ordinal))
            {
                problems.Add($"The checksum of {prefix}{entry.Path} does not match {list} (expected {entry.Sha256}, got {files[entry.Path]}).");
            }
        }

        problems.AddRange(unlisted.Order(StringComparer.Ordinal).Select(p => $"The member {prefix}{OsImageFields.Escape(p)} is not in the checksum list {list}."));
        return problems;
    }

    private static string? DigestProblem(string digest) =>
        digest.Length == HexLength && digest.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            ? null
            : $"'{digest}' is not 64 lowercase hexadecimal digits.";

    // sha256sum escapes names holding a newline or backslash with a leading '\'; we never write such names and
    // refuse them on reading, together with anything that could leave the image directory.
    private static string? PathProblem(string path)
    {
        if (path.Length == 0 || path.StartsWith('/') || path.Contains('\\', StringComparison.Ordinal) ||
            path.Contains('\n', StringComparison.Ordinal) || path.Contains('\r', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
        {
            return $"'{path}' is not a plain relative path.";
        }

        return path.Split('/').Any(segment => segment is "" or "." or "..")
            ? $"'{path}' has an empty, '.' or '..' segment."
            : null;
    }
}
