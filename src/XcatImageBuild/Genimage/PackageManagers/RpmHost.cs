namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// What dnf and zypper need to write an image's RPM database and caches where an RPM system expects them when the
/// host is not one (Debian's rpm keeps its database in <c>~/.rpmdb</c>).
/// </summary>
internal static class RpmHost
{
    /// <summary>The RPM database inside the image.</summary>
    public const string DatabasePath = "/var/lib/rpm";

    /// <summary>
    /// A home directory whose <c>.rpmmacros</c> puts the database at <see cref="DatabasePath"/>; dnf and zypper are
    /// run with HOME set to it.
    /// </summary>
    public static string Home(GenimageContext context)
    {
        var home = Path.Combine(context.WorkDirectory, "rpm-home");
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(home, ".rpmmacros"), $"%_dbpath {DatabasePath}\n");
        return home;
    }

    /// <summary>
    /// Removes the copy of a host cache path that dnf and zypper create inside the root for their bookkeeping
    /// (<c>&lt;root&gt;/&lt;cache path&gt;</c>), and the directories left empty above it.
    /// </summary>
    public static void RemoveCacheEcho(GenimageContext context, string hostCache)
    {
        var root = Path.GetFullPath(context.RootDirectory).TrimEnd('/');
        var echo = root + "/" + Path.GetFullPath(hostCache).TrimStart('/');
        if (Directory.Exists(echo))
        {
            Directory.Delete(echo, recursive: true);
        }

        for (var parent = Path.GetDirectoryName(echo); parent is not null && parent.Length > root.Length && parent.StartsWith(root + "/", StringComparison.Ordinal); parent = Path.GetDirectoryName(parent))
        {
            if (!Directory.Exists(parent) || Directory.EnumerateFileSystemEntries(parent).Any())
            {
                break;
            }

            Directory.Delete(parent);
        }
    }
}
