using XcatImageBuild.Site;

namespace XcatImageBuild.Nodeset;

/// <summary>The site table keys nodeset reads, with xCAT's defaults.</summary>
internal sealed class NodesetSettings
{
    public NodesetSettings(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        HttpMethod = site.Setting("httpmethod") ?? "http";
        HttpPort = site.Setting("httpport") ?? "80";
        XcatdPort = site.Setting("xcatdport") ?? "3001";
        UseFlowControl = site.Setting("useflowcontrol") ?? "0";
        NodeStatus = site.Setting("nodestatus") ?? "y";
        XcatDebugMode = site.Setting("xcatdebugmode");
        Master = site.Master;
        TftpDir = site.TftpDir;
    }

    /// <summary>site.tftpdir, read once: each read of a site key is a query.</summary>
    public string TftpDir { get; }

    public string HttpMethod { get; }

    public string HttpPort { get; }

    public string XcatdPort { get; }

    public string UseFlowControl { get; }

    public string NodeStatus { get; }

    public string? XcatDebugMode { get; }

    /// <summary>site.master: the address facing the nodes when a node has no noderes.xcatmaster.</summary>
    public string? Master { get; }
}
