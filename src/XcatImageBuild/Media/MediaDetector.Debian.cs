using System.Text.RegularExpressions;
using XcatImageBuild.Distributions;

namespace XcatImageBuild.Media;

/// <summary>debian.pm's rules: Debian and Ubuntu media, named from the first line of <c>.disk/info</c>.</summary>
public static partial class MediaDetector
{
    private static readonly string[] DebianArchitectures = ["amd64", "arm64", "ppc64el", "s390x", "i386", "armhf", "riscv64"];

    /// <summary>
    /// "Debian GNU/Linux 12.5.0 "Bookworm" - Official amd64 NETINST with firmware 20240210-11:27" → debian12.5.0;
    /// "Ubuntu-Server 24.04 LTS "Noble Numbat" - Release amd64 (20240423)" → ubuntu24.04. The architecture is the
    /// Debian architecture word of the line (xCAT counts words, which misses it on LTS releases).
    /// </summary>
    private static Detected Debian(string diskInfo, string? diskDefines)
    {
        var words = FirstLine(diskInfo).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var arch = Arch(words.FirstOrDefault(w => DebianArchitectures.Contains(w, StringComparer.Ordinal)));
        string? name = null;
        var discNo = "1";
        if (words.Length > 2 && words[0] == "Debian")
        {
            name = "debian" + words[2];
            if (words.Length > 8 && DebianDisc().Match(words[8]) is { Success: true } disc)
            {
                discNo = disc.Groups["n"].Value;
            }
        }
        else if (words.Length > 1 && words[0].StartsWith("Ubuntu", StringComparison.Ordinal))
        {
            name = "ubuntu" + words[1];
            if (diskDefines is not null && DiskNum().Match(diskDefines) is { Success: true } number)
            {
                discNo = number.Groups["n"].Value;
            }
        }

        return new Detected(name, arch, discNo, DistributionFamily.Debian, null);
    }

    [GeneratedRegex(@"-(?<n>\d+)$")]
    private static partial Regex DebianDisc();

    [GeneratedRegex(@"#define\s+DISKNUM\s+(?<n>\d+)")]
    private static partial Regex DiskNum();
}
