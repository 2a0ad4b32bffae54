using System.Text.RegularExpressions;
using XcatImageBuild.Distributions;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// <c>imgimport -f new_profile</c>: xCAT's change_profile rewrite rules, exactly (xcat-spec §1.8). Nothing changes
/// when the new profile equals the old one.
/// </summary>
public static class ImportProfileChange
{
    private const string SharedDirectory = "/opt/xcat/share/xcat";

    /// <summary>Rewrites the image's profile, rootimgdir, file paths and name for <paramref name="newProfile"/>.</summary>
    public static void Apply(ImportImage image, string newProfile, string installDir)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentException.ThrowIfNullOrEmpty(newProfile);
        ArgumentNullException.ThrowIfNull(installDir);
        var manifest = image.Manifest;
        var oldProfile = manifest.Profile ?? string.Empty;
        if (oldProfile == newProfile)
        {
            return;
        }

        installDir = installDir.TrimEnd('/');
        var osvers = manifest.OsVers ?? string.Empty;
        var osarch = manifest.OsArch ?? string.Empty;
        var provmethod = manifest.ProvMethod ?? string.Empty;
        manifest.OsImage["profile"] = newProfile;

        string? newRootImageDirectory = null;
        if (manifest.LinuxImage.ContainsKey("rootimgdir"))
        {
            var tree = osarch == "s390x" && provmethod is "raw" or "sysclone" ? provmethod : "netboot";
            newRootImageDirectory = $"{installDir}/{tree}/{osvers}/{osarch}/{newProfile}";
            manifest.LinuxImage["rootimgdir"] = newRootImageDirectory;
        }

        var prov = provmethod == "install" ? "install" : "netboot";
        var platform = Distribution.ProfileChangePlatformOf(osvers);
        image.RewriteFiles((key, path) => key switch
        {
            "kernel" or "ramdisk" or "rootimg" or "rootimgtree" or "litefile" =>
                newRootImageDirectory is null ? path : $"{newRootImageDirectory}/{BaseName(path)}",
            _ => $"{NewListDirectory(DirectoryOf(path), installDir, prov, platform)}/{NewListName(BaseName(path), oldProfile, newProfile)}",
        });

        var name = $"{osvers}-{osarch}-{provmethod}-{newProfile}";
        manifest.OsImage["imagename"] = name;
        if (manifest.LinuxImage.Count > 0)
        {
            manifest.LinuxImage["imagename"] = name;
        }
    }

    private static string NewListDirectory(string directory, string installDir, string prov, string platform) =>
        directory.Contains(SharedDirectory, StringComparison.Ordinal) ? $"{installDir}/custom/{prov}/{platform}" : directory;

    /// <summary>
    /// The first occurrence of the old profile, matched as a regular expression as xCAT's Perl does, becomes the new
    /// profile; a name without it gets <c>&lt;new&gt;.</c> in front.
    /// </summary>
    private static string NewListName(string name, string oldProfile, string newProfile)
    {
        Regex pattern;
        try
        {
            pattern = new Regex(oldProfile, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            pattern = new Regex(Regex.Escape(oldProfile), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        var match = oldProfile.Length == 0 ? Match.Empty : pattern.Match(name);
        return match.Success
            ? string.Concat(name.AsSpan(0, match.Index), newProfile, name.AsSpan(match.Index + match.Length))
            : $"{newProfile}.{name}";
    }
}
