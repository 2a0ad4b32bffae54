using System.Text;
using System.Text.RegularExpressions;
using XcatImageBuild.Formats;

namespace XcatImageBuild.Diff;

/// <summary>
/// Why a file most likely differs between two builds of the same inputs, judged from its two versions: only its time
/// (or only the digits in it, or only a gzip header's time) → timestamps; a build's site directory inside it → build
/// path; its mode or owner → metadata; otherwise random data (keys, salts, generated ids) or something unknown.
/// </summary>
public static partial class DifferenceCause
{
    public const string Timestamps = "timestamps";
    public const string BuildPath = "build path";
    public const string RandomData = "random data or unknown";
    public const string Metadata = "metadata";
    public const string OneBuildOnly = "only one build has it";
    public const string ArchiveLayout = "archive layout";
    public const string Checksums = "the checksums of the files above";

    /// <summary>The likely cause of the difference between <paramref name="a"/> and <paramref name="b"/>.</summary>
    /// <param name="a">The file in the first build, or null when it has none.</param>
    /// <param name="b">The file in the second build, or null.</param>
    /// <param name="contentA">The first file's bytes when known.</param>
    /// <param name="contentB">The second file's bytes when known.</param>
    /// <param name="buildPaths">The directories the builds ran in (their site roots; <c>/</c> is ignored).</param>
    public static string Of(RootFile? a, RootFile? b, byte[]? contentA, byte[]? contentB, IReadOnlyList<string> buildPaths)
    {
        ArgumentNullException.ThrowIfNull(buildPaths);
        if (a is null || b is null)
        {
            return OneBuildOnly;
        }

        var paths = buildPaths.Where(p => p.Length > 1).Select(p => Encoding.UTF8.GetBytes(p)).ToList();
        if (a.Kind == b.Kind && a.Digest != b.Digest && a.Kind == FileKind.RegularFile)
        {
            return Content(contentA, contentB, paths);
        }

        if (a.LinkTarget != b.LinkTarget)
        {
            return paths.Any(p => Contains(a.LinkTarget, p) || Contains(b.LinkTarget, p)) ? BuildPath : RandomData;
        }

        if (a.Kind != b.Kind || a.Digest != b.Digest || a.Mode != b.Mode || a.Uid != b.Uid || a.Gid != b.Gid || a.Size != b.Size)
        {
            return Metadata;
        }

        return Timestamps;
    }

    /// <summary>The likely cause of two different contents of one file.</summary>
    public static string Content(byte[]? a, byte[]? b, IReadOnlyList<byte[]> buildPaths)
    {
        ArgumentNullException.ThrowIfNull(buildPaths);
        if (a is null || b is null)
        {
            return RandomData;
        }

        if (buildPaths.Any(p => a.AsSpan().IndexOf(p) >= 0 || b.AsSpan().IndexOf(p) >= 0))
        {
            return BuildPath;
        }

        // gzip's header holds the compressed file's time in bytes 4-7 (RFC 1952 §2.3).
        if (a.Length == b.Length && a.Length > 10 && a[0] == 0x1f && a[1] == 0x8b && b[0] == 0x1f && b[1] == 0x8b
            && a.AsSpan(0, 4).SequenceEqual(b.AsSpan(0, 4)) && a.AsSpan(8).SequenceEqual(b.AsSpan(8)))
        {
            return Timestamps;
        }

        // Dates, times and epochs written into a file: the two differ only in their runs of digits.
        var textA = Encoding.Latin1.GetString(a);
        var textB = Encoding.Latin1.GetString(b);
        return Digits().Replace(textA, "0") == Digits().Replace(textB, "0") ? Timestamps : RandomData;
    }

    private static bool Contains(string? text, byte[] path) => text is not null && Encoding.UTF8.GetBytes(text).AsSpan().IndexOf(path) >= 0;

    [GeneratedRegex("[0-9]+")]
    private static partial Regex Digits();
}
