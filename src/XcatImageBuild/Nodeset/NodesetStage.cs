using XcatImageBuild.Distributions;
using XcatImageBuild.Images;
using XcatImageBuild.Nodes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Nodeset;

/// <summary>
/// <c>nodeset NODERANGE osimage=IMAGE</c> (and <c>osimage</c>, <c>boot</c>) for diskless nodes, as xCAT 2.18.2's
/// destiny.pm, mknetboot and the xnba, pxe and grub2 plugins do it (xcat-spec §10): the node takes the image
/// (nodetype), the image's kernel and initrd are copied to <c>&lt;tftpdir&gt;/xcat/osimage/&lt;image&gt;/</c>, each
/// node gets the boot file of its <c>noderes.netboot</c>, and <c>chain.currstate</c> records the state. Unlike xCAT,
/// every node and image is checked first and nothing is written when any is refused.
/// </summary>
public sealed class NodesetStage
{
    private static readonly string[] Loaders = ["xnba", "pxe", "grub2", "grub2-tftp", "grub2-http"];

    private readonly XcatSite _site;
    private readonly IProgressSink _progress;

    public NodesetStage(XcatSite site, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _progress = progress;
    }

    /// <summary>Sets the boot state of every node of <paramref name="noderange"/>.</summary>
    /// <exception cref="XcatException">
    /// The state is not one nodeset knows, or any node or image is refused; the message lists every problem and nothing
    /// has been written.
    /// </exception>
    public NodesetResult Run(string noderange, string state)
    {
        ArgumentNullException.ThrowIfNull(noderange);
        ArgumentNullException.ThrowIfNull(state);
        var target = ParseState(state);
        var settings = new NodesetSettings(_site);
        var problems = new List<string>();
        var (nodes, attributes, images) = _site.Database.Read(session => Read(session, noderange, target, problems));
        var plans = new List<NodePlan>();
        foreach (var node in nodes)
        {
            var image = target.IsBoot ? null : images[target.Image ?? attributes.Get(node, XcatSchema.NodeType, "provmethod")!];
            if (image is null && !target.IsBoot)
            {
                continue;
            }

            if (Plan(node, image, attributes, settings, problems) is { } plan)
            {
                plans.Add(plan);
            }
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        var files = new BootFiles();
        foreach (var plan in plans)
        {
            plan.Write(files);
        }

        CopyBootResources(plans);
        files.Commit(_site);
        _site.Database.Write(session => Record(session, plans));
        return new NodesetResult([.. plans.Select(p => $"{p.Node}: {p.Boot.State}")], files);
    }

    private static NodesetTarget ParseState(string state)
    {
        if (state == "boot")
        {
            return new NodesetTarget(true, null);
        }

        if (state == "osimage")
        {
            return new NodesetTarget(false, null);
        }

        if (state.StartsWith("osimage=", StringComparison.Ordinal) && state.Length > "osimage=".Length)
        {
            return new NodesetTarget(false, state["osimage=".Length..]);
        }

        if (state is "install" or "netboot" or "statelite" || state.StartsWith("install=", StringComparison.Ordinal) || state.StartsWith("netboot=", StringComparison.Ordinal))
        {
            throw new XcatException("The options \"install\", \"netboot\", and \"statelite\" have been deprecated, use \"osimage=<osimage_name>\" instead.");
        }

        throw new XcatException($"invalid argument: \"{state}\"", 1, "xcatimg nodeset takes osimage=<osimage_name>, osimage or boot.");
    }

    private (IReadOnlyList<string> Nodes, NodeBootAttributes Attributes, Dictionary<string, NodesetImage?> Images) Read(
        TableSession session, string noderange, NodesetTarget target, List<string> problems)
    {
        var expanded = NodeRange.Expand(session, noderange);
        if (expanded.Missing.Count > 0)
        {
            problems.Add($"Invalid nodes and/or groups in noderange: {string.Join(',', expanded.Missing)}");
        }

        var attributes = NodeBootAttributes.Read(session);
        var images = new Dictionary<string, NodesetImage?>(StringComparer.Ordinal);
        if (target.IsBoot)
        {
            return (expanded.Nodes, attributes, images);
        }

        foreach (var node in expanded.Nodes)
        {
            var name = target.Image ?? attributes.Get(node, XcatSchema.NodeType, "provmethod");
            if (name is null or "install" or "netboot" or "statelite")
            {
                problems.Add($"{node}: OS image name must be specified in nodetype.provmethod");
                continue;
            }

            if (!images.ContainsKey(name))
            {
                images[name] = LoadImage(session, name, problems);
            }
        }

        return (expanded.Nodes, attributes, images);
    }

    // The image's own checks, once per image: its rows (destiny.pm), then the files mknetboot sends.
    private NodesetImage? LoadImage(TableSession session, string name, List<string> problems)
    {
        var os = session.Find(XcatSchema.OsImage, name);
        if (os is null || os.IsDisabled)
        {
            problems.Add($"Cannot find the OS image {name} in the osimage table.");
            return null;
        }

        var record = OsImageRecord.Find(_site.Database, name)!;
        if (record.ProvMethod is null)
        {
            problems.Add($"osimage.provmethod for {name} must be set.");
            return null;
        }

        if (record.OsVers is null || record.OsArch is null || record.Profile is null)
        {
            problems.Add($"osimage.provmethod, osimage.osvers, osimage.osarch and osimage.profile for {name} must be set");
            return null;
        }

        if (record.ProvMethod is not ("netboot" or "statelite"))
        {
            problems.Add($"The OS image {name} is a '{record.ProvMethod}' image: xcatimg nodeset provisions netboot and statelite images only.");
            return null;
        }

        var directory = LogicalPath.Normalize(record.RootImageDirectory(_site));
        if (!LogicalPath.IsUnder(directory, _site.InstallDir) || directory == LogicalPath.Normalize(_site.InstallDir))
        {
            problems.Add($"The root image directory {directory} of {name} is not under the install directory {_site.InstallDir}; nodeset serves images only from there.");
            return null;
        }

        return CheckFiles(record, directory, problems);
    }

    private NodesetImage? CheckFiles(OsImageRecord image, string directory, List<string> problems)
    {
        var host = Environment.MachineName;
        var onDisk = _site.Map(directory);
        var statelite = image.ProvMethod == "statelite";
        var tool = statelite ? "liteimg" : "packimage";
        if (!File.Exists(Path.Combine(onDisk, "kernel")))
        {
            problems.Add($"Did you run \"genimage\" before running \"{tool}\"? kernel cannot be found at {directory}/kernel on {host}");
            return null;
        }

        var ramdisk = statelite && image.OsImage.GetValueOrDefault("rootfstype") == "ramdisk";
        var initrd = statelite && !ramdisk ? "initrd-statelite.gz" : "initrd-stateless.gz";
        if (!File.Exists(Path.Combine(onDisk, initrd)) && !File.Exists(Path.Combine(onDisk, "initrd.gz")))
        {
            problems.Add($"Did you run \"genimage\" before running \"{tool}\"? initrd.gz or {initrd} cannot be found at {directory}/{initrd} on {host}");
            return null;
        }

        string? packed = null;
        if (ramdisk && !File.Exists(Path.Combine(onDisk, "rootimg-statelite.gz")))
        {
            problems.Add($"No packed image for platform {image.OsVers}, architecture {image.OsArch} and profile {image.Profile}, please run \"liteimg\" to create it.");
            return null;
        }

        if (!statelite)
        {
            packed = PackedRootImage.Find(onDisk);
            if (packed is null)
            {
                problems.Add(
                    $"No packed image for platform {image.OsVers}, architecture {image.OsArch}, and profile {image.Profile} found at {directory}/rootimg.cpio.gz, " +
                    $"please run packimage {image.Name}");
                return null;
            }

            if (!PackedRootImage.IsStock(packed))
            {
                _progress.Warning(
                    $"{image.Name} is served as {packed}, which only xcatimg's initrd unpacks; stock xCAT initrds boot " +
                    "rootimg.cpio.gz, rootimg.cpio.xz, rootimg.tar.gz, rootimg.tar.xz and rootimg.sfs only.");
            }
        }

        var kernel = Path.Combine(onDisk, "kernel");
        return new NodesetImage(image, directory, initrd, packed, XnbaBootFile.HasEfiStub(kernel));
    }

    private NodePlan? Plan(string node, NodesetImage? image, NodeBootAttributes attributes, NodesetSettings settings, List<string> problems)
    {
        string? Get(TableSchema table, string column) => attributes.Get(node, table, column);
        var before = problems.Count;
        var netboot = Get(XcatSchema.NodeRes, "netboot");
        if (netboot is null)
        {
            problems.Add($"{node}: noderes.netboot is not set; set the boot loader with 'chdef {node} netboot=xnba' (or pxe, grub2).");
        }
        else if (!Loaders.Contains(netboot, StringComparer.Ordinal))
        {
            problems.Add($"{node}: noderes.netboot '{netboot}' is not a boot loader xcatimg nodeset writes for ({string.Join(", ", Loaders)}).");
        }

        var mac = ParseMac(Get(XcatSchema.Mac, "mac"), node);
        if (mac is null && (!(image is null) || netboot is "grub2" or "grub2-tftp" or "grub2-http"))
        {
            problems.Add($"{node}: No MAC address available for this node");
        }

        var ip = Get(XcatSchema.Hosts, "ip");
        if (netboot is "pxe" or "grub2" or "grub2-tftp" or "grub2-http" && (ip is null || !System.Net.IPAddress.TryParse(ip, out _)))
        {
            problems.Add($"{node}: xCAT unable to resolve IP in {(netboot == "pxe" ? "pxe" : "grub2")} plugin: set hosts.ip ('chdef {node} ip=<address>'); the boot file is found by it.");
        }

        var tftpDir = Get(XcatSchema.NodeRes, "tftpdir") ?? settings.TftpDir;
        var xcatMaster = Get(XcatSchema.NodeRes, "xcatmaster");
        var facing = xcatMaster ?? settings.Master;
        if (netboot is not "xnba" && facing is null)
        {
            problems.Add($"{node}: Unable to determine or reasonably guess the image server for {node}: set noderes.xcatmaster or site.master.");
        }

        KernelCommandLine? line = null;
        if (image is not null)
        {
            var serialPort = Get(XcatSchema.NodeHm, "serialport");
            var distribution = Distribution.Of(image.Record.OsVers!);
            line = new KernelCommandLine
            {
                Node = node,
                OsVers = image.Record.OsVers!,
                Arch = image.Record.OsArch!,
                Profile = image.Record.Profile!,
                RootImageDirectory = image.RootImageDirectory,
                PackedImage = image.PackedImage,
                Statelite = image.Statelite,
                RootFsType = image.Record.OsImage.GetValueOrDefault("rootfstype"),
                DebianFamily = distribution?.IsDebian == true,
                ImageServer = ImageServer(Get(XcatSchema.NodeRes, "nfsserver"), Get(XcatSchema.NodeRes, "tftpserver"), xcatMaster),
                XcatMaster = xcatMaster ?? KernelCommandLine.ImageServerPlaceholder,
                HttpMethod = settings.HttpMethod,
                HttpPort = settings.HttpPort,
                XcatdPort = settings.XcatdPort,
                UseFlowControl = settings.UseFlowControl,
                NodeStatus = settings.NodeStatus,
                XcatDebugMode = settings.XcatDebugMode,
                InstallNic = Get(XcatSchema.NodeRes, "installnic"),
                PrimaryNic = Get(XcatSchema.NodeRes, "primarynic"),
                Mac = mac,
                NodeBootIf = image.Record.Linux("nodebootif"),
                NfsDir = Get(XcatSchema.NodeRes, "nfsdir"),
                SerialPort = serialPort,
                SerialSpeed = Get(XcatSchema.NodeHm, "serialspeed"),
                SerialFlow = Get(XcatSchema.NodeHm, "serialflow"),
                Dump = image.Record.Linux("dump"),
                CrashKernelSize = image.Record.Linux("crashkernelsize"),
            };
            if (line.LacksSerialSpeed)
            {
                problems.Add($"{node}: serialport defined, but no serialspeed for {node} in nodehm table");
            }
            else if (serialPort is null && line.DebianFamily)
            {
                _progress.Warning($"rcons may not work since no serialport is specified for {node}");
            }
        }

        if (problems.Count > before)
        {
            return null;
        }

        var resources = image is null ? null : $"xcat/osimage/{image.Name}";
        var boot = new BootLoader(
            node,
            image?.State ?? "boot",
            resources is null ? null : $"{resources}/kernel",
            resources is null ? null : $"{resources}/{image!.Initrd}",
            line?.Build(),
            Get(XcatSchema.BootParams, "addkcmdline"),
            image?.Record.Linux("addkcmdline"));
        return new NodePlan(node, image, boot, netboot!, tftpDir, facing ?? string.Empty, ip, mac, Get(XcatSchema.NodeType, "arch") ?? image?.Record.OsArch, settings, Get(XcatSchema.NodeRes, "tftpserver"));
    }

    // The image server: noderes.nfsserver, else noderes.tftpserver (neither when it says <xcatmaster>), else the
    // node's xcatmaster, else the placeholder for the address facing the node.
    private static string ImageServer(string? nfsServer, string? tftpServer, string? xcatMaster)
    {
        if (nfsServer is not null && nfsServer != "<xcatmaster>")
        {
            return nfsServer;
        }

        if (tftpServer is not null && tftpServer != "<xcatmaster>")
        {
            return tftpServer;
        }

        return xcatMaster ?? KernelCommandLine.ImageServerPlaceholder;
    }

    // Utils.pm parseMacTabEntry: mac.mac is a | list; an entry "mac!host" belongs to that host, the others to the node.
    private static string? ParseMac(string? value, string node)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string? chosen = null;
        foreach (var entry in value.Split('|'))
        {
            if (!entry.Contains('!', StringComparison.Ordinal))
            {
                chosen = entry;
            }

            if (entry.EndsWith("!" + node, StringComparison.Ordinal) && entry.Length > node.Length + 1)
            {
                chosen = entry[..^(node.Length + 1)];
                break;
            }
        }

        if (chosen is { Length: 12 } && !chosen.Contains(':', StringComparison.Ordinal))
        {
            chosen = string.Join(':', Enumerable.Range(0, 6).Select(i => chosen.Substring(i * 2, 2)));
        }

        return string.IsNullOrEmpty(chosen) ? null : chosen;
    }

    // Once per tftp directory and image, as mknetboot copies: written under a temporary name and renamed, so a node
    // booting meanwhile reads the old kernel or the new one, never half of one.
    private void CopyBootResources(IEnumerable<NodePlan> plans)
    {
        foreach (var plan in plans.Where(p => p.Image is not null).DistinctBy(p => (p.TftpDir, p.Image!.Name)))
        {
            var image = plan.Image!;
            var source = _site.Map(image.RootImageDirectory);
            var destination = _site.Map($"{plan.TftpDir.TrimEnd('/')}/xcat/osimage/{image.Name}");
            try
            {
                Directory.CreateDirectory(destination);
                foreach (var name in new[] { "kernel", image.Initrd })
                {
                    var from = Path.Combine(source, name);
                    if (!File.Exists(from))
                    {
                        // mknetboot's fallback: an image built with only initrd.gz serves it under the expected name.
                        from = Path.Combine(source, "initrd.gz");
                    }

                    var to = Path.Combine(destination, name);
                    if (!SameContent(from, to))
                    {
                        AtomicFile.Create(to, partial => File.Copy(from, partial), (UnixFileMode)0x1A4);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new XcatException($"Copying to {plan.TftpDir.TrimEnd('/')}/xcat/osimage/{image.Name} failed: {e.Message}", 1, null, e);
            }
        }
    }

    // A copy already in place is left alone: rewriting (and flushing) tens of megabytes on every nodeset is what makes
    // a nodeset of many nodes slow, and a node booting meanwhile reads the same bytes either way.
    private static bool SameContent(string source, string copy)
    {
        var first = new FileInfo(source);
        var second = new FileInfo(copy);
        if (!second.Exists || second.LinkTarget is not null || first.Length != second.Length)
        {
            return false;
        }

        const int Block = 1 << 20;
        using var a = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        using var b = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        var left = new byte[Block];
        var right = new byte[Block];
        int read;
        while ((read = a.ReadAtLeast(left, Block, throwOnEndOfStream: false)) > 0)
        {
            if (b.ReadAtLeast(right, read, throwOnEndOfStream: false) != read || !left.AsSpan(0, read).SequenceEqual(right.AsSpan(0, read)))
            {
                return false;
            }
        }

        return true;
    }

    // destiny.pm: osimage= gives the node the image's provmethod, os, arch and profile; boot blanks a diskless
    // provmethod; both record the state in chain.currstate.
    private static int Record(TableSession session, IEnumerable<NodePlan> plans)
    {
        foreach (var plan in plans)
        {
            if (plan.Image is { } image)
            {
                session.Set(XcatSchema.NodeType, [plan.Node], new Dictionary<string, string?>
                {
                    ["provmethod"] = image.Name,
                    ["profile"] = image.Record.Profile,
                    ["os"] = image.Record.OsVers,
                    ["arch"] = image.Record.OsArch,
                });
            }
            else if (session.Find(XcatSchema.NodeType, plan.Node)?["provmethod"] is { } provmethod && !IsInstall(session, provmethod))
            {
                session.Set(XcatSchema.NodeType, [plan.Node], new Dictionary<string, string?> { ["provmethod"] = null });
            }

            session.Set(XcatSchema.Chain, [plan.Node], new Dictionary<string, string?> { ["currstate"] = plan.Boot.State });
        }

        return 0;
    }

    private static bool IsInstall(TableSession session, string provmethod)
    {
        var method = provmethod is "install" or "netboot" or "statelite" ? provmethod : session.Find(XcatSchema.OsImage, provmethod)?["provmethod"] ?? provmethod;
        return method is "install" or "sysclone";
    }

    private sealed record NodesetTarget(bool IsBoot, string? Image);
}
