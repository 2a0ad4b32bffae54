using System.Diagnostics;
using System.Globalization;
using System.Net;
using XcatImageBuild.Nodes;
using XcatImageBuild.Nodeset;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Boottest;

/// <summary>
/// <c>boottest NODE</c>: boots the node's image in qemu the way the cluster boots it. qemu's user network answers
/// DHCP with the node's xnba file from the site's tftp directory; the guest's iPXE (Debian's <c>ipxe-qemu</c>) runs it,
/// fetching the kernel and initrd over HTTP from a server on the loopback address that serves the site's
/// <c>/tftpboot</c> and <c>/install</c> on the port nodeset wrote (site.httpport); the initrd fetches the root image
/// from <c>imgurl=</c>. Nothing is appended and no command line is made up: the node boots what nodeset wrote. The
/// test passes when the booted system prints a <see cref="ReadyMarker"/> proving its root, image and files.
/// </summary>
public sealed class BoottestStage
{
    private const int ConsoleTailLines = 40;

    private readonly XcatSite _site;
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;

    public BoottestStage(XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _runner = runner;
        _progress = progress;
    }

    /// <summary>Boots <paramref name="node"/> and waits for its ready marker.</summary>
    /// <exception cref="XcatException">
    /// The node, its image or its boot file is not ready to boot (nothing is started then), qemu is missing, or the node
    /// did not print a ready marker proving everything within the timeout; the message says what was missing and ends
    /// with the tail of the serial console.
    /// </exception>
    public BoottestResult Run(string node, BoottestOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        var target = Resolve(node);
        var qemu = _runner.FindExecutable("qemu-system-x86_64") ?? throw ProcessRunner.Missing("qemu-system-x86_64", "qemu-system-x86");
        var log = $"/var/log/xcatimg/boottest/{node}.console";
        var logOnDisk = _site.Map(log);
        Directory.CreateDirectory(Path.GetDirectoryName(logOnDisk)!);
        File.WriteAllText(logOnDisk, string.Empty);

        using var server = new BootHttpServer(target.HttpPort, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["tftpboot"] = _site.Map(target.TftpDir),
            ["install"] = _site.Map(_site.InstallDir),
        });
        _progress.Info($"{node}: booting {target.Image} in qemu (network {target.Network.Network}/24, server {target.Network.Host}:{target.HttpPort}, console {log})");

        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var command = new ToolCommand(qemu, QemuArguments(target, logOnDisk, options));
        var running = Task.Run(() => _runner.RunUnchecked(command, stop.Token));
        string? marker = null;
        while (!running.IsCompleted && clock.Elapsed < options.Timeout)
        {
            marker = ReadyMarker.Find(ReadConsole(logOnDisk));
            if (marker is not null)
            {
                break;
            }

            running.Wait(TimeSpan.FromMilliseconds(500));
        }

        var elapsed = clock.Elapsed;
        stop.Cancel();
        var exit = Finish(running);
        var console = ReadConsole(logOnDisk);
        marker ??= ReadyMarker.Find(console);
        var missing = marker is null
            ? [$"no {ReadyMarker.Word} line on the serial console"]
            : ReadyMarker.Missing(marker, target.Image, options.ExpectedFiles);
        if (missing.Count == 0)
        {
            return new BoottestResult(node, target.Image, marker!, elapsed, log);
        }

        var why = exit is { } code && marker is null
            ? $"qemu exited with code {code} after {Seconds(elapsed)} s"
            : marker is null ? $"no ready marker within {Seconds(options.Timeout)} s" : "its ready marker falls short";
        var lines = console.Split('\n');
        throw new XcatException(
            $"{node} did not boot {target.Image}: {why}.\n" +
            string.Concat(missing.Select(m => $"  missing: {m}\n")) +
            $"  HTTP requests: {(server.Requests.IsEmpty ? "none" : string.Join(", ", server.Requests))}\n" +
            $"Serial console, last lines of {log}:\n" +
            string.Join('\n', lines.Skip(Math.Max(0, lines.Length - ConsoleTailLines))));
    }

    // Everything is checked before qemu starts: the node, its image, the boot file nodeset wrote and what it fetches.
    private BootTarget Resolve(string node)
    {
        var (exists, attributes) = _site.Database.Read(session =>
            (NodeRange.Expand(session, node) is { Missing.Count: 0 } range && range.Nodes.SequenceEqual([node]), NodeBootAttributes.Read(session)));
        if (!exists)
        {
            throw new XcatException($"Invalid node name: {node}; boottest takes one node defined in the nodelist table.");
        }

        string? Get(TableSchema table, string column) => attributes.Get(node, table, column);
        var netboot = Get(XcatSchema.NodeRes, "netboot");
        if (netboot != "xnba")
        {
            throw new XcatException(
                $"{node}: noderes.netboot is {(netboot is null ? "not set" : $"'{netboot}'")}; boottest boots a node through iPXE and its xnba file.",
                1,
                $"Set it with 'chdef {node} netboot=xnba' and run 'nodeset {node} osimage=<image>'.");
        }

        var image = Get(XcatSchema.NodeType, "provmethod");
        var tftpDir = Get(XcatSchema.NodeRes, "tftpdir") ?? _site.TftpDir;
        var bootFile = $"{tftpDir.TrimEnd('/')}/xcat/xnba/nodes/{node}";
        var onDisk = _site.Map(bootFile);
        if (!File.Exists(onDisk))
        {
            throw new XcatException($"{node} has no boot file {bootFile}; run 'nodeset {node} osimage=<image>' first.");
        }

        var script = XnbaScript.Parse(File.ReadAllText(onDisk), bootFile);
        if (!script.BootsImage || image is null or "install" or "netboot" or "statelite")
        {
            throw new XcatException($"{node} is not set to boot a diskless image ({bootFile} says '#{script.State}'); run 'nodeset {node} osimage=<image>' first.");
        }

        if (script.ImageUrl is not { Scheme: "http" })
        {
            throw new XcatException($"{bootFile} has no http imgurl= on its kernel command line; boottest serves the root image over http only.");
        }

        if (script.SerialPort is not { } serialPort)
        {
            throw new XcatException(
                $"{bootFile} puts the kernel's console on no serial port, where boottest reads the node.",
                1,
                $"Set it with 'chdef {node} serialport=0 serialspeed=115200' and run 'nodeset {node} osimage={image}' again.");
        }

        var ports = script.HttpPorts.ToList();
        if (ports.Count != 1)
        {
            throw new XcatException($"{bootFile} fetches from the ports {string.Join(", ", ports)}; boottest serves one port, site.httpport.");
        }

        var host = script.ServerAddress ?? QemuUserNetwork.DefaultHost;
        foreach (var url in script.Fetches.Append(script.ImageUrl))
        {
            if (url.Host != "next-server" && !(IPAddress.TryParse(url.Host, out var address) && address.Equals(host)))
            {
                throw new XcatException($"{bootFile} fetches {url} from {url.Host}, not the management node {host} that imgurl= names; boottest serves one address.");
            }
        }

        var mac = Get(XcatSchema.Mac, "mac")?.Split('|')[0].Split('!')[0];
        var ip = Get(XcatSchema.Hosts, "ip") is { } text && IPAddress.TryParse(text, out var parsed) ? parsed : null;
        return new BootTarget(image, tftpDir, bootFile[(tftpDir.TrimEnd('/').Length + 1)..], ports[0], serialPort, mac, QemuUserNetwork.Around(host, ip));
    }

    // Software emulation always: nested KVM on CI machines can hang a guest silently. -boot n makes the firmware
    // PXE-boot the NIC with the iPXE ROM that ipxe-qemu ships for virtio-net.
    private List<string> QemuArguments(BootTarget target, string log, BoottestOptions options)
    {
        var arguments = new List<string>
        {
            "-machine", "q35,accel=tcg", "-m", options.MemoryMiB.ToString(CultureInfo.InvariantCulture), "-display", "none",
            "-no-reboot", "-monitor", "none", "-nodefaults", "-vga", "none",
        };
        for (var port = 0; port < target.SerialPort; port++)
        {
            arguments.AddRange(["-serial", "null"]);
        }

        arguments.AddRange(["-serial", $"file:{log}"]);
        arguments.AddRange(["-netdev", target.Network.NetdevArgument("net0", _site.Map(target.TftpDir), target.BootFile)]);
        arguments.AddRange(["-device", "virtio-net-pci,netdev=net0" + (target.Mac is null ? string.Empty : $",mac={target.Mac}")]);
        arguments.AddRange(["-boot", "n"]);
        return arguments;
    }

    private static string ReadConsole(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    // qemu is stopped (killed once the marker is seen or the time is up); its exit code only matters when it stopped
    // on its own.
    private static int? Finish(Task<ToolResult> running)
    {
        try
        {
            return running.GetAwaiter().GetResult().ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private sealed record BootTarget(string Image, string TftpDir, string BootFile, int HttpPort, int SerialPort, string? Mac, QemuUserNetwork Network);
}
