namespace XcatImageBuild.Tables;

/// <summary>
/// The tables this product keeps, with xCAT 2.18's columns in xCAT's order (perl-xCAT/xCAT/Schema.pm of the
/// 2.18.2 release; xcat-spec §4.1). The target is 2.18, so osimage has no <c>nfsrootopts</c> column.
/// </summary>
public static class XcatSchema
{
    public static readonly TableSchema Site = new("site", ["key", "value", "comments", "disable"], ["key"]);

    public static readonly TableSchema OsImage = new(
        "osimage",
        [
            "imagename", "groups", "profile", "imagetype", "description", "provmethod", "rootfstype", "osdistroname",
            "osupdatename", "cfmdir", "osname", "osvers", "osarch", "synclists", "postscripts", "postbootscripts",
            "serverrole", "isdeletable", "kitcomponents", "environvar", "comments", "disable",
        ],
        ["imagename"]);

    public static readonly TableSchema LinuxImage = new(
        "linuximage",
        [
            "imagename", "template", "boottarget", "addkcmdline", "pkglist", "pkgdir", "otherpkglist", "otherpkgdir",
            "exlist", "postinstall", "rootimgdir", "kerneldir", "nodebootif", "otherifce", "netdrivers", "kernelver",
            "krpmver", "permission", "dump", "crashkernelsize", "partitionfile", "driverupdatesrc", "comments", "disable",
        ],
        ["imagename"]);

    public static readonly TableSchema Postscripts = new(
        "postscripts", ["node", "postscripts", "postbootscripts", "comments", "disable"], ["node"]);

    public static readonly TableSchema NodeList = new(
        "nodelist",
        [
            "node", "groups", "status", "statustime", "appstatus", "appstatustime", "primarysn", "hidden",
            "updatestatus", "updatestatustime", "zonename", "comments", "disable",
        ],
        ["node"]);

    /// <summary>Node groups defined as objects (mkdef -t group); static membership itself lives in nodelist.groups.</summary>
    public static readonly TableSchema NodeGroup = new(
        "nodegroup", ["groupname", "grouptype", "members", "membergroups", "wherevals", "comments", "disable"], ["groupname"]);

    public static readonly TableSchema NodeType = new(
        "nodetype", ["node", "os", "arch", "profile", "provmethod", "supportedarchs", "nodetype", "comments", "disable"], ["node"]);

    public static readonly TableSchema LiteFile = new("litefile", ["image", "file", "options", "comments", "disable"], ["image", "file"]);

    public static readonly TableSchema Passwd = new(
        "passwd", ["key", "username", "password", "cryptmethod", "authdomain", "comments", "disable"], ["key", "username"]);

    /// <summary>The distributions copycds copied into installdir: one row per distribution and architecture (xcat-spec §9).</summary>
    public static readonly TableSchema OsDistro = new(
        "osdistro", ["osdistroname", "basename", "majorversion", "minorversion", "arch", "type", "dirpaths", "comments", "disable"], ["osdistroname"]);

    /// <summary>Every table, in the order they are created.</summary>
    public static readonly IReadOnlyList<TableSchema> All = [Site, OsImage, LinuxImage, Postscripts, NodeList, NodeGroup, NodeType, LiteFile, Passwd, OsDistro];

    /// <summary>The table of that name, or an error that names it and lists the known ones.</summary>
    /// <exception cref="XcatException">No such table.</exception>
    public static TableSchema Get(string name)
    {
        return All.FirstOrDefault(t => t.Name == name)
            ?? throw new XcatException($"Table '{name}' does not exist. Known tables: {string.Join(", ", All.Select(t => t.Name))}.");
    }
}
