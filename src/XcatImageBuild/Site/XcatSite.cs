using System.Net.NetworkInformation;
using System.Net.Sockets;
using XcatImageBuild.Progress;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Site;

/// <summary>
/// A management node's state: the root its logical paths map onto and its tables. A site is a directory with an
/// <c>etc/xcat</c> directory (where xCAT keeps its tables). <see cref="Open"/> refuses a directory that holds no
/// site, so a typo in <c>--site</c> is an error; <see cref="OpenOrCreate"/> (the verbs that define things) creates
/// one with the site table and xcatdefaults rows xCAT's installer writes. Opening a site where an import was
/// interrupted first finishes or rolls back that import.
/// </summary>
public sealed class XcatSite
{
    /// <summary>Where the tables live, as a logical path: xCAT keeps one SQLite file per table here (xcat-spec §13).</summary>
    public const string TablesLogicalDirectory = "/etc/xcat";

    /// <summary>The file whose PostgreSQL line moves the tables into a database server, as on xCAT.</summary>
    public const string CfglocLogicalPath = "/etc/xcat/cfgloc";

    /// <summary>The directory whose presence makes a directory a site: xCAT's configuration directory.</summary>
    public const string ConfigurationLogicalPath = "/etc/xcat";

    private XcatSite(SiteRoot root, XcatDatabase database)
    {
        Root = root;
        Database = database;
    }

    public SiteRoot Root { get; }

    public XcatDatabase Database { get; }

    // The directory keys are normalised (LogicalPath.Normalize), so installdir=/install/ builds /install/custom, never
    // /install//custom.

    /// <summary>site.installdir, default <c>/install</c> (logical, normalised).</summary>
    public string InstallDir => LogicalPath.Normalize(Setting("installdir") ?? "/install");

    /// <summary>site.tftpdir, default <c>/tftpboot</c> (logical, normalised).</summary>
    public string TftpDir => LogicalPath.Normalize(Setting("tftpdir") ?? "/tftpboot");

    /// <summary>site.tmpdir, default <c>/tmp</c> (logical, normalised). Work and staging directories go here, inside the site.</summary>
    public string TmpDir => LogicalPath.Normalize(Setting("tmpdir") ?? "/tmp");

    /// <summary>site.timezone, or null when unset.</summary>
    public string? Timezone => Setting("timezone");

    /// <summary>site.secureroot: when 1, packimage locks root's password (<c>*</c>).</summary>
    public bool SecureRoot => Setting("secureroot") is "1" or "yes";

    /// <summary>site.master, the management node's address.</summary>
    public string? Master => Setting("master");

    /// <summary>Whether <paramref name="directory"/> holds a site (its <c>etc/xcat</c> directory exists).</summary>
    public static bool Exists(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Directory.Exists(new SiteRoot(directory).Map(ConfigurationLogicalPath));
    }

    /// <summary>
    /// Opens the site at <paramref name="directory"/>, which must exist. An import that was interrupted there (killed,
    /// or stopped by a crash) is finished when its transaction committed and rolled back otherwise, before anything
    /// else reads the site, so every caller sees it either as it was before that import or with it complete; what was
    /// done is reported to <paramref name="progress"/> as a warning.
    /// </summary>
    /// <exception cref="XcatException">There is no site at <paramref name="directory"/>, its database cannot be used,
    /// or its import journal is damaged.</exception>
    public static XcatSite Open(string directory, IProgressSink? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = new SiteRoot(directory);
        if (!Exists(root.Directory))
        {
            throw new XcatException(
                $"The site {root.Directory} does not exist (there is no {root.Map(ConfigurationLogicalPath)}).",
                1,
                "Check --site or XCATIMG_SITE; mkdef, recipe apply, imgimport, copycds and build create a new site.");
        }

        return OpenExisting(root, progress);
    }

    /// <summary>
    /// Opens the site at <paramref name="directory"/> as <see cref="Open"/> does, first creating it when the directory
    /// holds none (reported to <paramref name="progress"/> as <c>Created the site DIR.</c>).
    /// </summary>
    /// <exception cref="XcatException">The site cannot be created, its database cannot be used, or its import journal is damaged.</exception>
    public static XcatSite OpenOrCreate(string directory, IProgressSink? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = new SiteRoot(directory);
        if (Exists(root.Directory))
        {
            return OpenExisting(root, progress);
        }

        try
        {
            Directory.CreateDirectory(root.Map(ConfigurationLogicalPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot create the site at {root.Directory}: {e.Message}", 1, null, e);
        }

        var site = OpenExisting(root, progress);
        progress?.Info($"Created the site {root.Directory}.");
        return site;
    }

    /// <summary>
    /// Creates a new, empty site at <paramref name="directory"/> whose tables are SQLite files there whatever
    /// <c>XCATCFG</c> or a copied cfgloc says, so a scratch site never shares a database server with the site it copies.
    /// </summary>
    /// <exception cref="XcatException">The directory already holds a site, or it cannot be created.</exception>
    public static XcatSite CreateDetached(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var root = new SiteRoot(directory);
        if (Exists(root.Directory))
        {
            throw new XcatException($"Cannot create a site at {root.Directory}: it holds one already.");
        }

        try
        {
            Directory.CreateDirectory(root.Map(ConfigurationLogicalPath));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot create the site at {root.Directory}: {e.Message}", 1, null, e);
        }

        return new XcatSite(root, XcatDatabase.Open(root.Map(TablesLogicalDirectory), null, InitializeOnFirstUse));
    }

    private static XcatSite OpenExisting(SiteRoot root, IProgressSink? progress)
    {
        var database = XcatDatabase.Open(root.Map(TablesLogicalDirectory), DatabaseLine(root), InitializeOnFirstUse, notice => progress?.Warning(notice));
        var site = new XcatSite(root, database);
        if (ImportJournal.RecoverInterrupted(site) is { } recovered)
        {
            progress?.Warning(recovered);
        }

        return site;
    }

    /// <summary>
    /// The PostgreSQL line the site's tables come from, as xCAT finds it (Table.pm get_xcatcfg): the <c>XCATCFG</c>
    /// variable, else the site's cfgloc file; null when neither is set, which means one SQLite file per table.
    /// </summary>
    private static Cfgloc? DatabaseLine(SiteRoot root)
    {
        var variable = Environment.GetEnvironmentVariable(Cfgloc.EnvironmentVariable);
        if (!string.IsNullOrEmpty(variable))
        {
            return Cfgloc.Parse(variable, $"${Cfgloc.EnvironmentVariable}");
        }

        var path = root.Map(CfglocLogicalPath);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Cfgloc.Parse(File.ReadAllText(path), path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read the cfgloc {path}: {e.Message}", 1, null, e);
        }
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
