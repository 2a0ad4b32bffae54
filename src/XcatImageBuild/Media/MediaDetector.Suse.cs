using System.Text.RegularExpressions;
using XcatImageBuild.Distributions;

namespace XcatImageBuild.Media;

/// <summary>sles.pm's rules: SLE 15 (media.1/media), openSUSE Leap (.treeinfo) and older SLES (content).</summary>
public static partial class MediaDetector
{
    private static Detected Suse(IReadOnlyDictionary<string, string> files, TreeInfo? treeInfo)
    {
        var media = files.TryGetValue("media.1/media", out var mediaText) ? FirstLine(mediaText) : string.Empty;
        if (Sle().Match(media) is { Success: true } sle)
        {
            // SLE 15 ships an installer (or online) media and a packages media of one release; they go to disc slots 1
            // and 2 so neither overwrites the other (xCAT #5843). A Full media holds both and fills slot 1.
            var servicePack = sle.Groups["sp"].Success ? "." + sle.Groups["sp"].Value : string.Empty;
            var kind = sle.Groups["kind"].Value;
            var disc = sle.Groups["disc"].Success ? int.Parse(sle.Groups["disc"].Value, System.Globalization.CultureInfo.InvariantCulture) : 1;
            var slotBase = kind.Equals("Packages", StringComparison.OrdinalIgnoreCase) ? "2" : "1";
            var slot = disc > 1 ? (slotBase == "2" ? "packages" : "installer") + disc.ToString(System.Globalization.CultureInfo.InvariantCulture) : slotBase;
            return new Detected("sle" + sle.Groups["version"].Value + servicePack, Arch(sle.Groups["arch"].Value), slot, DistributionFamily.Suse, slot);
        }

        if (treeInfo is not null && (treeInfo.Get("release", "name") ?? treeInfo.Get("general", "family")) is { } family
            && family.Contains("Leap", StringComparison.OrdinalIgnoreCase))
        {
            var version = treeInfo.Get("release", "version") ?? treeInfo.Get("general", "version");
            return new Detected(version is null ? null : "leap" + version, Arch(TreeArch(treeInfo)), "1", DistributionFamily.Suse, "1");
        }

        if (Leap().Match(media) is { Success: true } leap)
        {
            return new Detected("leap" + leap.Groups["version"].Value, Arch(leap.Groups["arch"].Value), "1", DistributionFamily.Suse, "1");
        }

        var content = files.TryGetValue("content", out var contentText) ? ContentValues(contentText) : new Dictionary<string, string>(StringComparer.Ordinal);
        var label = content.GetValueOrDefault("LABEL") ?? content.GetValueOrDefault("SUMMARY") ?? string.Empty;
        var name = Sles().Match(label) is { Success: true } sles
            ? "sles" + sles.Groups["version"].Value + (sles.Groups["sp"].Success ? "." + sles.Groups["sp"].Value : string.Empty)
            : null;
        var arch = content.GetValueOrDefault("BASEARCHS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        var discNo = mediaText is null ? "1" : ThirdLine(mediaText) ?? "1";
        return new Detected(name, Arch(arch), discNo, DistributionFamily.Suse, discNo);
    }

    private static Dictionary<string, string> ContentValues(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var space = line.IndexOfAny([' ', '\t']);
            if (space > 0)
            {
                values.TryAdd(line[..space], line[space..].Trim());
            }
        }

        return values;
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string? ThirdLine(string text) => text.Split('\n') is { Length: > 2 } lines && lines[2].Trim() is { Length: > 0 } line ? line : null;

    [GeneratedRegex(@"SLE-(?<version>\d+)(?:-SP(?<sp>\d+))?-(?<kind>[A-Za-z]+)(?:-DVD)?-(?<arch>x86_64|aarch64|ppc64le|s390x)(?:-[^-]*)*?(?:-(?:DVD|Media)(?<disc>\d+))?$")]
    private static partial Regex Sle();

    [GeneratedRegex(@"openSUSE-Leap-(?<version>\d+\.\d+)-\w+-(?<arch>x86_64|aarch64|ppc64le|s390x)")]
    private static partial Regex Leap();

    [GeneratedRegex(@"SUSE Linux Enterprise Server (?<version>\d+)(?: SP(?<sp>\d+))?")]
    private static partial Regex Sles();
}
