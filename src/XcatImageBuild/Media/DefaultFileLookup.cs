using System.Globalization;
using System.Text.RegularExpressions;
using XcatImageBuild.Site;

namespace XcatImageBuild.Media;

/// <summary>
/// xCAT's <c>get_file_name</c>: the most specific file for a profile, OS and architecture, looked for in the site's
/// custom directory <c>&lt;installdir&gt;/custom/&lt;install|netboot&gt;/&lt;platform&gt;/</c> first and then in the
/// shipped <c>/opt/xcat/share/xcat/&lt;install|netboot&gt;/&lt;platform&gt;/</c> (xcat-spec §5). In each directory the
/// order is <c>&lt;p&gt;.&lt;os&gt;.&lt;arch&gt;.&lt;ext&gt;</c>, <c>&lt;p&gt;.&lt;os&gt;.&lt;ext&gt;</c>, the same with the
/// generic OS (<c>rhels9</c>), then each older release of the search list, then <c>&lt;p&gt;.&lt;arch&gt;.&lt;ext&gt;</c>
/// and <c>&lt;p&gt;.&lt;ext&gt;</c>.
/// </summary>
public static partial class DefaultFileLookup
{
    /// <summary>Where xCAT keeps its shipped files for a type (<c>install</c> or <c>netboot</c>) and platform.</summary>
    public static string ShippedDirectory(string type, string platform) => $"/opt/xcat/share/xcat/{type}/{platform}";

    /// <summary>The site's directory for files that take precedence over the shipped ones.</summary>
    public static string CustomDirectory(XcatSite site, string type, string platform)
    {
        ArgumentNullException.ThrowIfNull(site);
        return $"{site.InstallDir}/custom/{type}/{platform}";
    }

    /// <summary>The logical path of the first file found, or null. Postinstall scripts count only when executable, as in xCAT.</summary>
    /// <param name="site">The site whose directories are searched.</param>
    /// <param name="directories">The logical directories, in search order.</param>
    /// <param name="profile">The profile (<c>compute</c>).</param>
    /// <param name="os">The osvers (<c>rhels9.2</c>).</param>
    /// <param name="arch">The architecture.</param>
    /// <param name="extension">The extension: <c>tmpl</c>, <c>pkglist</c>, <c>otherpkgs.pkglist</c>, <c>exlist</c>, <c>postinstall</c>, <c>synclist</c>.</param>
    public static string? Find(XcatSite site, IEnumerable<string> directories, string profile, string os, string arch, string extension)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(directories);
        var names = Candidates(profile, os, arch, extension).ToList();
        foreach (var directory in directories)
        {
            foreach (var name in names)
            {
                var logical = directory + "/" + name;
                var physical = site.Map(logical);
                if (File.Exists(physical) && (extension != "postinstall" || IsExecutable(physical)))
                {
                    return logical;
                }
            }
        }

        return null;
    }

    /// <summary>The file names tried in one directory, most specific first.</summary>
    public static IEnumerable<string> Candidates(string profile, string os, string arch, string extension)
    {
        ArgumentNullException.ThrowIfNull(os);
        var generic = GenericOs(os);
        var versions = new List<string> { $"{os}.{arch}", os, $"{generic}.{arch}", generic };
        foreach (var version in SearchList(os))
        {
            versions.Add($"{version}.{arch}");
            versions.Add(version);
        }

        versions.Add(arch);
        return versions.Distinct(StringComparer.Ordinal).Select(v => $"{profile}.{v}.{extension}").Append($"{profile}.{extension}");
    }

    /// <summary>The OS without its minor versions; the RHEL family's is <c>rhels&lt;major&gt;</c> (<c>rhels8.5.0</c> → <c>rhels8</c>).</summary>
    public static string GenericOs(string os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var dot = os.IndexOf('.', StringComparison.Ordinal);
        var generic = dot < 0 ? os : os[..dot];
        return RedHatGeneric().Match(generic) is { Success: true } match ? "rhels" + match.Groups[1].Value : generic;
    }

    /// <summary>xCAT's <c>get_os_search_list</c>: <c>rhels8.5.0</c> → rhels8.5.0, rhels8.5, rhels8.4 … rhels8.0, rhels8.</summary>
    public static IReadOnlyList<string> SearchList(string os)
    {
        ArgumentNullException.ThrowIfNull(os);
        var list = new List<string> { os };
        if (Version().Match(os) is { Success: true } match)
        {
            var name = match.Groups["name"].Value + match.Groups["major"].Value;
            if (match.Groups["minor"].Success)
            {
                for (var minor = int.Parse(match.Groups["minor"].Value, CultureInfo.InvariantCulture); minor >= 0; minor--)
                {
                    list.Add(FormattableString.Invariant($"{name}.{minor}"));
                }
            }

            list.Add(name);
        }

        return [.. list.Distinct(StringComparer.Ordinal)];
    }

    private static bool IsExecutable(string path) =>
        (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    [GeneratedRegex(@"^rh.*s(\d*)$")]
    private static partial Regex RedHatGeneric();

    [GeneratedRegex(@"^(?<name>\D+)(?<major>\d+)(?:\.(?<minor>\d+))?")]
    private static partial Regex Version();
}
