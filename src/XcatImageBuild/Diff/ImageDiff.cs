using System.Globalization;

namespace XcatImageBuild.Diff;

/// <summary>
/// <c>imgdiff A B</c>: compares two images' rows, list files, kernel and initrd, SBOM packages and root image files
/// (mode, owner, size, link target, content digest).
/// </summary>
public static class ImageDiff
{
    /// <summary>Compares <paramref name="a"/> with <paramref name="b"/>.</summary>
    public static DiffReport Compare(ImageContents a, ImageContents b) => Compare(a, b, compareTimes: false);

    /// <summary>
    /// Compares <paramref name="a"/> with <paramref name="b"/>; with <paramref name="compareTimes"/>, a root file's
    /// modification time is one more field (a reproducibility check: the archives' bytes differ when only a time does).
    /// </summary>
    public static DiffReport Compare(ImageContents a, ImageContents b, bool compareTimes)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var report = new DiffReport { A = a.Source, B = b.Source };
        foreach (var (key, from, to) in Pairs(a.Rows, b.Rows))
        {
            // The image's own name differs whenever two names are compared; it is shown in the header instead.
            if (key is not ("osimage.imagename" or "linuximage.imagename"))
            {
                report.Rows.Add((key, from, to));
            }
        }

        foreach (var (key, from, to) in Pairs(a.Lists, b.Lists))
        {
            var before = Lines(from);
            var after = Lines(to);
            report.Lists.Add((key, Only(after, before), Only(before, after)));
        }

        report.Boot.AddRange(Pairs(a.Boot, b.Boot));
        if (a.Packages is { } packagesA && b.Packages is { } packagesB)
        {
            report.Packages.AddRange(Pairs(packagesA, packagesB));
        }
        else if (a.Packages is not null || b.Packages is not null)
        {
            report.Notes.Add($"Only {(a.Packages is null ? b.Source : a.Source)} has an SBOM (image.spdx.json); packages were not compared.");
        }

        if ((a.RootArchive is null) != (b.RootArchive is null))
        {
            report.Notes.Add($"Only {(a.RootArchive is null ? b.Source : a.Source)} has a packed root image; files were not compared.");
        }
        else
        {
            CompareFiles(a.Files, b.Files, report, compareTimes);
        }

        return report;
    }

    private static void CompareFiles(Dictionary<string, RootFile> a, Dictionary<string, RootFile> b, DiffReport report, bool compareTimes)
    {
        foreach (var path in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var from = a.GetValueOrDefault(path);
            var to = b.GetValueOrDefault(path);
            if (from is null || to is null)
            {
                report.Files.Add((path, from, to, []));
                continue;
            }

            var changes = new List<string>();
            if (from.Kind != to.Kind)
            {
                changes.Add($"kind {from.Kind} -> {to.Kind}");
            }

            if (from.Mode != to.Mode)
            {
                changes.Add($"mode {Octal(from.Mode)} -> {Octal(to.Mode)}");
            }

            if (from.Uid != to.Uid || from.Gid != to.Gid)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"owner {from.Uid}:{from.Gid} -> {to.Uid}:{to.Gid}"));
            }

            if (from.Size != to.Size)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"size {from.Size} -> {to.Size}"));
            }

            if (from.LinkTarget != to.LinkTarget)
            {
                changes.Add($"link target {from.LinkTarget} -> {to.LinkTarget}");
            }

            if (from.Digest != to.Digest && from.Kind == to.Kind)
            {
                changes.Add(from.Kind == Formats.FileKind.RegularFile ? $"content sha256 {from.Digest![..12]} -> {to.Digest![..12]}" : $"device {from.Digest} -> {to.Digest}");
            }

            if (compareTimes && from.ModificationTime != to.ModificationTime)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"mtime {Time(from.ModificationTime)} -> {Time(to.ModificationTime)}"));
            }

            if (changes.Count > 0)
            {
                report.Files.Add((path, from, to, changes));
            }
        }
    }

    /// <summary>Seconds since the epoch as an ISO 8601 UTC time.</summary>
    internal static string Time(long seconds) =>
        DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Octal(int mode) => Convert.ToString(mode, 8).PadLeft(4, '0');

    private static IEnumerable<(string Key, string? From, string? To)> Pairs(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        foreach (var key in a.Keys.Union(b.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var from = a.GetValueOrDefault(key);
            var to = b.GetValueOrDefault(key);
            if (from != to)
            {
                yield return (key, from, to);
            }
        }
    }

    private static List<string> Lines(string? text) => text is null ? [] : [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0)];

    // The lines of `left` that `right` lacks, counting repeats.
    private static List<string> Only(List<string> left, List<string> right)
    {
        var counts = right.GroupBy(l => l, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var only = new List<string>();
        foreach (var line in left)
        {
            if (counts.TryGetValue(line, out var count) && count > 0)
            {
                counts[line] = count - 1;
            }
            else
            {
                only.Add(line);
            }
        }

        return only;
    }
}
