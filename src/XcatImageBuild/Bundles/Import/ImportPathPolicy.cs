using System.Text.RegularExpressions;
using XcatImageBuild.Site;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// Where a bundle may write. A bundle's paths are the exporting node's absolute paths (xcat-spec §1.10 fact 3), and a
/// bundle may come from anywhere, so import only writes under the site's installdir and tftpdir, and under the
/// prefixes the user allows with <c>--allow-path</c>. Lists that real bundles name under xCAT's shipped
/// <c>/opt/xcat/share/xcat/&lt;install|netboot&gt;/&lt;platform&gt;/</c> go to
/// <c>&lt;installdir&gt;/custom/&lt;install|netboot&gt;/&lt;platform&gt;/</c> instead, rows included, as <c>-f</c> moves them,
/// so an import never overwrites the files xCAT ships.
/// </summary>
public sealed partial class ImportPathPolicy
{
    private readonly string _installDir;
    private readonly string[] _allowed;

    public ImportPathPolicy(string installDir, string tftpDir, IEnumerable<string> allowedPrefixes)
    {
        ArgumentNullException.ThrowIfNull(installDir);
        ArgumentNullException.ThrowIfNull(tftpDir);
        ArgumentNullException.ThrowIfNull(allowedPrefixes);
        _installDir = LogicalPath.Normalize(installDir);
        _allowed = [_installDir, LogicalPath.Normalize(tftpDir), .. allowedPrefixes.Select(Prefix)];
    }

    /// <summary>
    /// Moves shipped lists to the custom tree and rewrites the manifest to point there — unless the user allowed
    /// their prefix with <c>--allow-path</c>, which restores them exactly where the manifest says, as xCAT does.
    /// </summary>
    public void RedirectShippedLists(ImportImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        image.RewriteFiles((key, path) =>
        {
            if (key is "kernel" or "ramdisk" or "rootimg" or "rootimgtree" or "litefile")
            {
                return path;
            }

            var match = ShippedList().Match(LogicalPath.Normalize(path));
            return match.Success && !_allowed.Skip(2).Any(prefix => LogicalPath.IsUnder(path, prefix)) ? $"{_installDir.TrimEnd('/')}/custom/{match.Groups[1].Value}/{match.Groups[2].Value}" : path;
        });
    }

    /// <summary>The problem with writing <paramref name="logicalPath"/>, or null when it is allowed.</summary>
    public string? Check(string imageName, string what, string logicalPath)
    {
        ArgumentNullException.ThrowIfNull(logicalPath);
        if (!logicalPath.StartsWith('/'))
        {
            return $"The manifest of image '{imageName}' names {what} '{logicalPath}', which is not an absolute path.";
        }

        if (logicalPath.Split('/').Contains(".."))
        {
            return $"The manifest of image '{imageName}' names {what} '{logicalPath}', which contains '..'.";
        }

        if (_allowed.Any(prefix => LogicalPath.IsUnder(logicalPath, prefix)))
        {
            return null;
        }

        return $"The manifest of image '{imageName}' would write {what} '{logicalPath}', outside the site's installdir " +
            $"({_allowed[0]}) and tftpdir ({_allowed[1]}); pass --allow-path PREFIX to allow it.";
    }

    private static string Prefix(string prefix)
    {
        if (!prefix.StartsWith('/'))
        {
            throw new XcatException($"--allow-path '{prefix}' is not an absolute logical path.");
        }

        return LogicalPath.Normalize(prefix);
    }

    [GeneratedRegex(@"^/opt/xcat/share/xcat/(install|netboot)/([^/]+/.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShippedList();
}
