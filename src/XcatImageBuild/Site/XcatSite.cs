using System.Net.NetworkInformation;
using System.Net.Sockets;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Site;

/// <summary>
/// A management node's state: the root its logical paths map onto and its tables. Opening a directory that holds
/// no site yet creates one, with the site table and xcatdefaults rows xCAT's installer writes.
/// </summary>
public sealed class XcatSite
{
    /// <summary>The environment variable that names the site when <c>--site</c> is not given.</summary>
    public const string EnvironmentVariable = "XCATIMG_SITE";

    /// <summary>Where the tables live, as a logical path (xCAT keeps its SQLite tables under /etc/xcat).</summary>
    public const string DatabaseLogicalPath = "/etc/xcat/xcatimg.sqlite";

    private XcatSite(SiteRoot root, XcatDatabase database)
    {
        Root = root;
        Database = database;
    }

    public SiteRoot Root { get; }

    public XcatDatabase Database { get; }

    /// <summary>site.installdir, default <c>/install</c> (logical).</summary>
    public string InstallDir => Setting("installdir") ?? "/install";

    /// <summary>site.tftpdir, default <c>/tftpboot</c> (logical).</summary>
    public string TftpDir => Setting("tftpdir") ?? "/tftpboot";

    /// <summary>site.tmpdir, default <c>/tmp</c> (logical). Work and staging directories go here, inside the site.</summary>
    public string TmpDir => Setting("tmpdir") ?? "/tmp";

    /// <summary>site.timezone, or null when unset.</summary>
    public string? Timezone => Setting("timezone");

    /// <summary>site.secureroot: when 1, packimage locks root's password (<c>*</c>).</summary>
    public bool SecureRoot => Setting("secureroot") is "1" or "yes";

    /// <summary>site.master, the management node's address.</summary>
    public string? Master => Setting("master");

    /// <summary>
    /// Opens the site at <paramref name="directory"/>, or at <see cref="EnvironmentVariable"/> when it is null.
    /// </summary>
    /// <exception cref="XcatException">Neither is given, or the database cannot be used.</exception>
    public static XcatSite Open(string? directory)
    {
        directory ??= Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrEmpty(directory))
        {
            throw new XcatException(
                $"No site given: pass --site DIR or set {EnvironmentVariable}.",
                1,
                "A site is a directory that holds the tables and the /install and /tftpboot trees; it is created on first use.");
        }

        var root = new SiteRoot(directory);
        var databasePath = root.Map(DatabaseLogicalPath);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot create the site at {root.Directory}: {e.Message}", 1, null, e);
        }

        return new XcatSite(root, XcatDatabase.Open(databasePath, InitializeOnFirstUse));
    }

    /// <summary>The value of a site table key, or null when the key is unset, empty or disabled.</summary>
    public string? Setting(string key)
    {
        var row = Database.Find(XcatSchema.Site, key);
        return row is null || row.IsDisabled || string.IsNullOrEmpty(row["value"]) ? null : row["value"];
    }

    /// <summary>The on-disk path of a logical xCAT path in this site.</summary>
    public string Map(string logicalPath) => Root.Map(logicalPath);

    private static void InitializeOnFirstUse(TableSession session)
    {
        if (session.ReadAll(XcatSchema.Site).Count > 0)
        {
            return;
        }

        // The keys and defaults xCAT's installer (xcatconfig) writes on a new management node.
        var defaults = new (string Key, string Value)[]
        {
            ("installdir", "/install"),
            ("tftpdir", "/tftpboot"),
            ("tmpdir", "/tmp"),
            ("timezone", HostTimezone()),
            ("master", HostAddress()),
            ("secureroot", "0"),
        };
        foreach (var (key, value) in defaults)
        {
            session.Set(XcatSchema.Site, [key], new Dictionary<string, string?> { ["value"] = value });
        }

        session.Set(
            XcatSchema.Postscripts,
            ["xcatdefaults"],
            new Dictionary<string, string?> { ["postscripts"] = "syslog,remoteshell,syncfiles", ["postbootscripts"] = "otherpkgs" });
    }

    private static string HostTimezone()
    {
        try
        {
            if (File.Exists("/etc/timezone"))
            {
                var zone = File.ReadAllText("/etc/timezone").Trim();
                if (zone.Length > 0)
                {
                    return zone;
                }
            }

            var link = new FileInfo("/etc/localtime").LinkTarget;
            const string marker = "zoneinfo/";
            if (link is not null && link.Contains(marker, StringComparison.Ordinal))
            {
                return link[(link.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
            }
        }
        catch (IOException)
        {
        }

        return "UTC";
    }

    private static string HostAddress()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            var address = nic.GetIPProperties().UnicastAddresses
                .FirstOrDefault(a => a.Address.AddressFamily == AddressFamily.InterNetwork);
            if (address is not null)
            {
                return address.Address.ToString();
            }
        }

        return "127.0.0.1";
    }
}
