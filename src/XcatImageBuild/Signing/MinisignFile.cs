using System.Text;

namespace XcatImageBuild.Signing;

/// <summary>
/// The text layout minisign's key and signature files share: lines of <c>untrusted comment: ...</c>, a base64 blob,
/// and for signatures <c>trusted comment: ...</c> and a second blob. Reading is strict about the prefixes and blob
/// sizes, so a file of another kind is refused with a message naming it rather than misread.
/// </summary>
internal static class MinisignFile
{
    public const string UntrustedPrefix = "untrusted comment: ";
    public const string TrustedPrefix = "trusted comment: ";

    /// <summary>minisign's bound on a comment line (COMMENTMAXBYTES) and on a trusted comment (TRUSTEDCOMMENTMAXBYTES).</summary>
    public const int MaxCommentBytes = 1024;
    public const int MaxTrustedCommentBytes = 8192;

    // The largest file these formats produce is a signature with a full trusted comment; anything far larger is
    // not one of them and is refused before it is read whole.
    private const long MaxFileBytes = 16 * 1024;

    /// <summary>Reads a key or signature file as UTF-8 lines, without their line ends.</summary>
    /// <exception cref="XcatException">The file is missing, unreadable, too large or not UTF-8; names the path.</exception>
    public static string[] ReadLines(string path, string what)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new XcatException($"Cannot find the {what} {path}.");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new XcatException($"The {what} {path} is {info.Length} bytes, too large to be a minisign file.");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the {what} {path}: {e.Message}", 1, null, e);
        }

        try
        {
            return Lines(new UTF8Encoding(false, true).GetString(bytes));
        }
        catch (DecoderFallbackException)
        {
            throw new XcatException($"The {what} {path} is not a minisign file: it is not UTF-8 text.");
        }
    }

    /// <summary>Splits text into lines, accepting <c>\n</c> and <c>\r\n</c> ends.</summary>
    public static string[] Lines(string text)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return [.. lines];
    }

    /// <summary>The comment of an <c>untrusted comment:</c> line, or null when the line has another shape.</summary>
    public static string? Untrusted(string line) =>
        line.StartsWith(UntrustedPrefix, StringComparison.Ordinal) ? line[UntrustedPrefix.Length..] : null;

    /// <summary>The comment of a <c>trusted comment:</c> line, or null when the line has another shape.</summary>
    public static string? Trusted(string line) =>
        line.StartsWith(TrustedPrefix, StringComparison.Ordinal) ? line[TrustedPrefix.Length..] : null;

    /// <summary>The bytes of a base64 line that must decode to exactly <paramref name="length"/> bytes, or null.</summary>
    public static byte[]? Blob(string line, int length)
    {
        var buffer = new byte[length];
        return Convert.TryFromBase64String(line.Trim(), buffer, out var written) && written == length ? buffer : null;
    }

    /// <summary>
    /// A key id as minisign prints it: the 8 bytes read as a little-endian 64-bit number, in 16 upper-case hex
    /// digits (so the bytes appear reversed).
    /// </summary>
    public static string KeyIdText(ReadOnlySpan<byte> keyId)
    {
        Span<byte> reversed = stackalloc byte[keyId.Length];
        keyId.CopyTo(reversed);
        reversed.Reverse();
        return Convert.ToHexString(reversed);
    }

    /// <summary>Whether a comment can stand on one line of these files.</summary>
    public static bool IsOneLine(string comment) => !comment.Contains('\n', StringComparison.Ordinal) && !comment.Contains('\r', StringComparison.Ordinal);
}
