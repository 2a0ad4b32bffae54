using System.Text.RegularExpressions;
using XcatImageBuild.Distributions;

namespace XcatImageBuild.Media;

/// <summary>anaconda.pm's rules: RHEL, CentOS, Rocky, AlmaLinux, Oracle Linux and Fedora media.</summary>
public static partial class MediaDetector
{
    /// <summary>
    /// <c>.discinfo</c> lines 1-4 are the build id, the description, the architecture and the disc numbers. The
    /// description names the distribution on older media ("Red Hat Enterprise Linux 7.9", "Rocky Linux 9.3"); EL8 and
    /// later write only the version there ("9.2"), and <c>.treeinfo</c>'s family says whose it is.
    /// </summary>
    private static Detected RedHatFromDiscInfo(string discInfo, TreeInfo? treeInfo)
    {
        var lines = discInfo.Split('\n').Select(l => l.Trim()).ToArray();
        var description = lines.Length > 1 ? lines[1] : string.Empty;
        var arch = Arch(lines.Length > 2 ? lines[2] : null) ?? Arch(TreeArch(treeInfo));
        var discNo = lines.Length > 3 && lines[3].Length > 0 ? lines[3] : "1";
        var name = NameFromDescription(description)
            ?? (NumericVersion().IsMatch(description) && treeInfo is not null ? NameFromFamily(TreeFamily(treeInfo), description) : null);
        if (name is not null && treeInfo?.Get("general", "variant") == "ComputeNode" && name.StartsWith("rhels", StringComparison.Ordinal))
        {
            name = "rhelhpc" + name["rhels".Length..];
        }

        return new Detected(name, arch, discNo, DistributionFamily.RedHat, null);
    }

    /// <summary>Media without <c>.discinfo</c> (RHEL's minimal and boot ISOs, xCAT #6278) are named from <c>.treeinfo</c> alone.</summary>
    private static Detected RedHatFromTreeInfo(TreeInfo treeInfo)
    {
        var version = treeInfo.Get("release", "version") ?? treeInfo.Get("general", "version");
        var name = version is null ? null : NameFromFamily(TreeFamily(treeInfo), version);
        return new Detected(name, Arch(TreeArch(treeInfo)), "1", DistributionFamily.RedHat, null);
    }

    private static string? NameFromDescription(string description)
    {
        if (ProductVersion().Match(description) is { Success: true } match && Distribution.NamedOnMedia(match.Groups["product"].Value) is { } distribution)
        {
            return distribution.Prefix + match.Groups["version"].Value;
        }

        if (description.Contains("Red Hat Enterprise Linux", StringComparison.Ordinal))
        {
            // "Red Hat Enterprise Linux 7.9" → rhels7.9; a longer description names a variant in its fifth word
            // ("Red Hat Enterprise Linux Server-HPC 7.9" → rhels7.9-server-hpc); "-alternate" is dropped (xCAT PR #7527).
            var words = description.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var name = "rhels" + words[^1];
            if (words.Length > 5)
            {
                name += "-" + words[4].ToLowerInvariant();
            }

            return name.Replace("-alternate", string.Empty, StringComparison.Ordinal);
        }

        return null;
    }

    private static string? NameFromFamily(string? family, string version) => family switch
    {
        null => null,
        _ when family.StartsWith("Red Hat Enterprise Linux", StringComparison.Ordinal) => "rhels" + version,
        _ => Distribution.NamedOnMedia(family) is { } distribution ? distribution.Prefix + version : null,
    };

    private static string? TreeFamily(TreeInfo treeInfo) => treeInfo.Get("release", "name") ?? treeInfo.Get("general", "family");

    private static string? TreeArch(TreeInfo? treeInfo) => treeInfo?.Get("tree", "arch") ?? treeInfo?.Get("general", "arch");

    /// <summary>"Rocky Linux 9.3": the product name, whose distribution the table knows, and the version after it.</summary>
    [GeneratedRegex(@"^(?<product>\D+) (?<version>[0-9][^ ]*)")]
    private static partial Regex ProductVersion();

    [GeneratedRegex(@"^[0-9][0-9.]*$")]
    private static partial Regex NumericVersion();
}
