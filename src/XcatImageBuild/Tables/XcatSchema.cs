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

    /// <summary>Where a node boots from and which servers it uses (noderes.netboot picks the boot loader nodeset writes for).</summary>
    public static readonly TableSchema NodeRes = new(
        "noderes",
        [
            "node", "servicenode", "netboot", "tftpserver", "tftpdir", "nfsserver", "monserver", "nfsdir", "installnic",
            "primarynic", "discoverynics", "cmdinterface", "xcatmaster", "current_osimage", "next_osimage", "nimserver",
            "routenames", "nameservers", "proxydhcp", "syslog", "comments", "disable",
        ],
        ["node"]);

    /// <summary>A node's MAC addresses: <c>mac</c> is a <c>|</c> list, each optionally <c>mac!hostname</c>.</summary>
    public static readonly TableSchema Mac = new("mac", ["node", "interface", "mac", "comments", "disable"], ["node"]);

    public static readonly TableSchema Hosts = new("hosts", ["node", "ip", "hostnames", "otherinterfaces", "comments", "disable"], ["node"]);

    /// <summary>A node's boot state: nodeset writes <c>currstate</c> (<c>netboot debian12-x86_64-compute</c>, <c>boot</c>).</summary>
    public static readonly TableSchema Chain = new("chain", ["node", "currstate", "currchain", "chain", "ondiscover", "comments", "disable"], ["node"]);

    /// <summary>Hardware management; nodeset reads the serial console (<c>serialport</c>, <c>serialspeed</c>, <c>serialflow</c>).</summary>
    public static readonly TableSchema NodeHm = new(
        "nodehm",
        [
            "node", "power", "mgt", "cons", "termserver", "termport", "conserver", "serialport", "serialspeed", "serialflow",
            "getmac", "cmdmapping", "consoleondemand", "consoleenabled", "comments", "disable",
        ],
        ["node"]);

    /// <summary>What nodeset computed for a node's boot (kernel, initrd, kcmdline) and the node's own <c>addkcmdline</c>.</summary>
    public static readonly TableSchema BootParams = new(
        "bootparams",
        ["node", "kernel", "initrd", "kcmdline", "addkcmdline", "dhcpstatements", "adddhcpstatements", "comments", "disable"],
        ["node"]);

    /// <summary>Every table, in the order they are created.</summary>
    public static readonly IReadOnlyList<TableSchema> All =
        [Site, OsImage, LinuxImage, Postscripts, NodeList, NodeGroup, NodeType, LiteFile, Passwd, NodeRes, Mac, Hosts, Chain, NodeHm, BootParams, OsDistro];

    /// <summary>The table of that name, or an error that names it and lists the known ones.</summary>
    /// <exception cref="XcatException">No such table.</exception>
    public static TableSchema Get(string name)
    {
        return All.FirstOrDefault(t => t.Name == name)
            ?? throw new XcatException($"Table '{name}' does not exist. Known tables: {string.Join(", ", All.Select(t => t.Name))}.");
    }
}
