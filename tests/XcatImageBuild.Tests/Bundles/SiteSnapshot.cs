using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Everything a user could see of a site, as one comparable text: every table as tabdump prints it, and every file,
/// link and directory under the root with its mode and content hash. Left out: the SQLite file itself (its tables are
/// compared instead), lock files under /var/lock (they stay, like xCAT's), and the empty state directories
/// /var/lib/xcatimg and its staging/ (a leftover journal or staging content still shows, as files).
/// </summary>
public static class SiteSnapshot
{
    private static readonly string[] IgnoredDirectories = ["/var", "/var/lib", "/var/lib/xcatimg", "/var/lib/xcatimg/staging", "/var/lock", "/var/lock/xcat"];

    public static string Take(TempSite site) => Take(site.Directory, site.Site.Database);

    public static string Take(string root, XcatDatabase database)
    {
        var text = new StringBuilder();
        foreach (var table in XcatSchema.All)
        {
            text.Append(TabDump.Format(table, database.ReadAll(table)));
        }

        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var logical = path[root.Length..];
            if ((logical.StartsWith("/etc/xcat/", StringComparison.Ordinal) && logical.Contains(".sqlite", StringComparison.Ordinal))
                || logical == "/etc/xcat/cfgloc"
                || logical.StartsWith("/var/lock/", StringComparison.Ordinal)
                || IgnoredDirectories.Contains(logical))
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
            {
                text.Append($"link {logical} -> {info.LinkTarget}\n");
            }
            else if (System.IO.Directory.Exists(path))
            {
                text.Append($"dir  {logical} {Convert.ToString((int)File.GetUnixFileMode(path), 8)}\n");
            }
            else
            {
                text.Append($"file {logical} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))}\n");
            }
        }

        return text.ToString();
    }
}
