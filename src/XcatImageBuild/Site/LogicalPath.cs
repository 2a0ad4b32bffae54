namespace XcatImageBuild.Site;

/// <summary>
/// The one reading of xCAT's logical paths (<c>/install/netboot/...</c>) as text, without touching the disk: every
/// function ignores trailing and repeated separators the same way, so <c>installdir=/install/</c> and
/// <c>installdir=/install</c> build the same paths. <see cref="SiteRoot"/> maps the result onto the disk.
/// </summary>
public static class LogicalPath
{
    /// <summary>
    /// Resolves <c>.</c>, <c>..</c>, repeated and trailing separators of an absolute logical path: <c>/install//a/../b/</c>
    /// is <c>/install/b</c>. A <c>..</c> at the top stays at <c>/</c>, so the result never leaves the root.
    /// </summary>
    public static string Normalize(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }

    /// <summary>Whether a logical path lies under a logical prefix, both normalised; the prefix itself counts.</summary>
    public static bool IsUnder(string path, string prefix)
    {
        var normalPath = Normalize(path);
        var normalPrefix = Normalize(prefix);
        return normalPrefix == "/" || normalPath == normalPrefix || normalPath.StartsWith(normalPrefix + "/", StringComparison.Ordinal);
    }

    /// <summary>The last name of a path, as POSIX basename: <c>/a/b/</c> gives <c>b</c>, <c>/</c> gives an empty string.</summary>
    public static string BaseName(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        return trimmed[(trimmed.LastIndexOf('/') + 1)..];
    }

    /// <summary>
    /// The directory of a path, as POSIX dirname: <c>/a/b/</c> gives <c>/a</c>, <c>/a</c> gives <c>/</c>, and a name
    /// without a separator gives <c>.</c>.
    /// </summary>
    public static string DirectoryOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.TrimEnd('/');
        if (trimmed.Length == 0)
        {
            return path.Length == 0 ? "." : "/";
        }

        var slash = trimmed.LastIndexOf('/');
        if (slash < 0)
        {
            return ".";
        }

        var directory = trimmed[..slash].TrimEnd('/');
        return directory.Length == 0 ? "/" : directory;
    }

    /// <summary>
    /// A directory and the names under it, with exactly one separator between each: <c>Join("/install/", "custom")</c>
    /// is <c>/install/custom</c> and <c>Join("/", "tmp")</c> is <c>/tmp</c>. <c>..</c> is left as it is (see <see cref="Normalize"/>).
    /// </summary>
    public static string Join(string directory, params ReadOnlySpan<string> names)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var joined = directory.TrimEnd('/');
        foreach (var name in names)
        {
            var part = name.Trim('/');
            if (part.Length > 0)
            {
                joined += "/" + part;
            }
        }

        return joined.Length == 0 ? "/" : joined;
    }
}
