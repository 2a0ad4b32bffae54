using System.Globalization;
using System.Security.Cryptography;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Diff;

/// <summary>
/// Compares the bundles of two builds of the same image byte for byte: when they differ, imgdiff's comparison of the
/// two (with modification times) names every root image file and every bundle member whose bytes differ, and
/// <see cref="DifferenceCause"/> says why each likely does, from the two versions of it.
/// </summary>
public static class ReproducibilityDiff
{
    /// <summary>Every difference between the bundles at <paramref name="a"/> and <paramref name="b"/>; empty when their bytes are the same.</summary>
    /// <param name="a">The first build's bundle.</param>
    /// <param name="b">The second build's bundle.</param>
    /// <param name="buildPaths">The directories the two builds ran in: their site roots.</param>
    /// <param name="tools">Runs xz, zstd and sqfs2tar for root archives that need them.</param>
    /// <exception cref="XcatException">A bundle cannot be read.</exception>
    public static IReadOnlyList<Irreproducibility> Compare(string a, string b, IReadOnlyList<string> buildPaths, IProcessRunner tools)
    {
        ArgumentNullException.ThrowIfNull(buildPaths);
        var digestA = Task.Run(() => FileDigest(a));
        var digestB = FileDigest(b);
        if (digestA.GetAwaiter().GetResult() == digestB)
        {
            return [];
        }

        // A first pass finds what differs; a second keeps the contents of just those files to look inside them.
        var (first, second) = Load(a, b, tools, null);
        var report = ImageDiff.Compare(first, second, compareTimes: true);
        var members = DifferingMembers(first, second);
        var wanted = report.Files.Select(f => f.Path).Concat(members).ToHashSet(StringComparer.Ordinal);
        var keptA = new RootFileContents(wanted);
        var keptB = new RootFileContents(wanted);
        if (wanted.Count > 0)
        {
            (first, second) = Load(a, b, tools, (keptA, keptB));
        }

        var found = new List<Irreproducibility>();
        foreach (var (path, from, to, changes) in report.Files)
        {
            var described = changes.Count > 0 ? changes : [from is null ? "only in the second build" : "only in the first build"];
            found.Add(new Irreproducibility(path, described, DifferenceCause.Of(from, to, keptA[path], keptB[path], buildPaths)));
        }

        foreach (var name in members)
        {
            var from = first.Members.GetValueOrDefault(name);
            var to = second.Members.GetValueOrDefault(name);
            if (IsRootArchive(name) && report.Files.Count > 0 && from is not null && to is not null)
            {
                // Its files are reported one by one above.
                continue;
            }

            var fileName = name[(name.LastIndexOf('/') + 1)..];
            var likely = fileName is "SHA256SUMS" or "SHA256SUMS.minisig" && found.Count > 0 && from?.ModificationTime == to?.ModificationTime
                ? DifferenceCause.Checksums
                : IsRootArchive(name) && from is not null && to is not null && from.ModificationTime == to.ModificationTime
                ? DifferenceCause.ArchiveLayout
                : DifferenceCause.Of(from, to, keptA[name], keptB[name], buildPaths);
            found.Add(new Irreproducibility("bundle " + name, MemberChanges(from, to), likely));
        }

        if (found.Count == 0)
        {
            found.Add(new Irreproducibility("bundle", [$"sha256 {digestA.Result[..12]} -> {digestB[..12]}"], DifferenceCause.ArchiveLayout));
        }

        return found;
    }

    private static (ImageContents A, ImageContents B) Load(string a, string b, IProcessRunner tools, (RootFileContents A, RootFileContents B)? keep)
    {
        var first = Task.Run(() => ImageContentsLoader.FromBundle(a, a, tools, keep?.A));
        var second = ImageContentsLoader.FromBundle(b, b, tools, keep?.B);
        return (first.GetAwaiter().GetResult(), second);
    }

    private static List<string> DifferingMembers(ImageContents a, ImageContents b) =>
        [.. a.Members.Keys.Union(b.Members.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where(name => a.Members.GetValueOrDefault(name) != b.Members.GetValueOrDefault(name))];

    private static bool IsRootArchive(string member) => RootArchiveReader.IsRootArchive(member[(member.LastIndexOf('/') + 1)..]);

    private static List<string> MemberChanges(RootFile? from, RootFile? to)
    {
        if (from is null || to is null)
        {
            return [from is null ? "only in the second build" : "only in the first build"];
        }

        var changes = new List<string>();
        if (from.Mode != to.Mode || from.Uid != to.Uid || from.Gid != to.Gid)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"mode/owner {Convert.ToString(from.Mode, 8)} {from.Uid}:{from.Gid} -> {Convert.ToString(to.Mode, 8)} {to.Uid}:{to.Gid}"));
        }

        if (from.Size != to.Size)
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"size {from.Size} -> {to.Size}"));
        }

        if (from.Digest != to.Digest && from.Digest is not null && to.Digest is not null)
        {
            changes.Add($"content sha256 {from.Digest[..12]} -> {to.Digest[..12]}");
        }

        if (from.ModificationTime != to.ModificationTime)
        {
            changes.Add($"mtime {ImageDiff.Time(from.ModificationTime)} -> {ImageDiff.Time(to.ModificationTime)}");
        }

        return changes;
    }

    private static string FileDigest(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the bundle {path}: {e.Message}", e);
        }
    }
}
