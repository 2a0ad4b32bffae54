namespace XcatImageBuild.Site;

/// <summary>
/// Maps xCAT's logical absolute paths (<c>/install/netboot/...</c>, <c>/tftpboot/...</c>) onto a directory on disk.
/// <c>--site /</c> is a real management node; any other root holds a private copy of the tree. Nothing is ever
/// resolved outside the root.
/// </summary>
public sealed class SiteRoot
{
    public SiteRoot(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (Directory.Length == 0)
        {
            Directory = "/";
        }
    }

    /// <summary>The root directory on disk, absolute, without a trailing separator (except for <c>/</c>).</summary>
    public string Directory { get; }

    /// <summary>Whether this root is the machine's own file system.</summary>
    public bool IsHostRoot => Directory == "/";

    /// <summary>
    /// The on-disk path of a logical xCAT path. <c>..</c> segments are resolved lexically first, so
    /// <c>/install/../etc</c> maps to <c>&lt;site&gt;/etc</c> and can never leave the root (<see cref="LogicalPath.Normalize"/>).
    /// </summary>
    /// <exception cref="XcatException">The path is not absolute.</exception>
    public string Map(string logicalPath)
    {
        ArgumentNullException.ThrowIfNull(logicalPath);
        if (!logicalPath.StartsWith('/'))
        {
            throw new XcatException($"The path '{logicalPath}' is not an absolute path.");
        }

        var normal = LogicalPath.Normalize(logicalPath);
        return IsHostRoot ? normal : normal == "/" ? Directory : Directory + normal;
    }

    /// <summary>The logical xCAT path of a file under the root, or null when it lies outside.</summary>
    public string? ToLogical(string physicalPath)
    {
        ArgumentNullException.ThrowIfNull(physicalPath);
        var full = Path.GetFullPath(physicalPath);
        if (IsHostRoot)
        {
            return full;
        }

        if (full == Directory)
        {
            return "/";
        }

        return full.StartsWith(Directory + "/", StringComparison.Ordinal) ? full[Directory.Length..] : null;
    }
}
