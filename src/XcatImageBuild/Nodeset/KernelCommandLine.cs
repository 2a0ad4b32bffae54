using System.Text;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Nodeset;

/// <summary>
/// The kernel command line of a diskless node, field by field in the order and with the spacing xCAT 2.18.2 writes
/// (anaconda.pm and debian.pm mknetboot; xcat-spec §10). xCAT builds the line by appending pieces that carry their own
/// leading or trailing blanks, so an empty field leaves a double space; that is kept, since nodes and scripts compare
/// these lines. <see cref="ImageServerPlaceholder"/> stands for "the server address facing the node" until the boot
/// loader file replaces it.
/// </summary>
internal sealed partial class KernelCommandLine
{
    /// <summary>xCAT's placeholder for a node without noderes.xcatmaster: each boot loader puts its own address there.</summary>
    public const string ImageServerPlaceholder = "!myipfn!";

    public required string Node { get; init; }

    public required string OsVers { get; init; }

    public required string Arch { get; init; }

    public required string Profile { get; init; }

    /// <summary>The logical root image directory (absolute, so the URL reads <c>:80//install/...</c>).</summary>
    public required string RootImageDirectory { get; init; }

    /// <summary>The packed image's file name for a netboot image; null for statelite.</summary>
    public string? PackedImage { get; init; }

    public bool Statelite { get; init; }

    /// <summary>osimage.rootfstype: <c>ramdisk</c> makes a statelite node fetch <c>rootimg-statelite.gz</c>; else NFS.</summary>
    public string? RootFsType { get; init; }

    /// <summary>Debian and Ubuntu (debian.pm): no NODE= or FC= on a netboot line, no selinux=0, the console without a leading blank.</summary>
    public bool DebianFamily { get; init; }

    public required string ImageServer { get; init; }

    public required string XcatMaster { get; init; }

    public string HttpMethod { get; init; } = "http";

    public string HttpPort { get; init; } = "80";

    public string XcatdPort { get; init; } = "3001";

    public string UseFlowControl { get; init; } = "0";

    public string NodeStatus { get; init; } = "y";

    public string? XcatDebugMode { get; init; }

    public string? InstallNic { get; init; }

    public string? PrimaryNic { get; init; }

    public string? Mac { get; init; }

    public string? NodeBootIf { get; init; }

    public string? NfsDir { get; init; }

    public string? SerialPort { get; init; }

    public string? SerialSpeed { get; init; }

    public string? SerialFlow { get; init; }

    public string? Dump { get; init; }

    public string? CrashKernelSize { get; init; }

    /// <summary>The line mknetboot stores in bootparams.kcmdline, before the boot loader adds addkcmdline and BOOTIF.</summary>
    public string Build()
    {
        var line = new StringBuilder();
        var imageUrl = $"{HttpMethod}://{ImageServer}:{HttpPort}/{RootImageDirectory}";
        if (Statelite)
        {
            line.Append(RootFsType == "ramdisk"
                ? $"imgurl={imageUrl}/rootimg-statelite.gz STATEMNT="
                : $"root=nfs:{ImageServer}:{NfsDirectory()}/rootimg:ro STATEMNT=");

            // The statelite table (statemnt, mntopts) is not kept, so STATEMNT= and MNTOPTS= stay empty.
            line.Append(' ');
            line.Append($"XCAT={XcatMaster}:{XcatdPort} ");
            line.Append($"NODE={Node} ");
            if (DebianFamily)
            {
                line.Append($"FC={UseFlowControl} ");
            }
        }
        else
        {
            line.Append($"imgurl={imageUrl}/{PackedImage} ");
            line.Append($"XCAT={XcatMaster}:{XcatdPort} ");
            if (!DebianFamily)
            {
                line.Append($"NODE={Node} ");
                line.Append($"FC={UseFlowControl} ");
            }
        }

        if (NodeStatus is "n" or "N" or "0")
        {
            line.Append(" nonodestatus ");
        }

        line.Append(DebianFamily ? $" XCATHTTPPORT={HttpPort} " : $"XCATHTTPPORT={HttpPort} ");
        if (XcatDebugMode is "1" or "2")
        {
            line.Append($" LOGSERVER={XcatMaster} ");
            if (!DebianFamily)
            {
                line.Append($" syslog.server={XcatMaster} syslog.type=rsyslogd syslog.filter=*.* ");
            }

            line.Append($" xcatdebugmode={XcatDebugMode} ");
        }

        AppendNetworkDevice(line);
        AppendConsole(line);
        if (!DebianFamily && SelinuxOff().IsMatch(OsVers))
        {
            line.Append(" selinux=0 ");
        }

        AppendDump(line);
        if (Statelite)
        {
            line.Append(" MNTOPTS=");
        }

        return line.ToString();
    }

    /// <summary>Whether a serial port is set without a speed: xCAT refuses the node.</summary>
    public bool LacksSerialSpeed => SerialPort is not null && string.IsNullOrEmpty(SerialSpeed);

    /// <summary>
    /// xCAT's splitkcmdline: the volatile part of an addkcmdline (every word but the <c>R::</c> persistent ones), each
    /// word followed by a blank; an empty word (from a double blank) adds one blank. Null when nothing is volatile.
    /// </summary>
    public static string? VolatileArguments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Perl's split drops trailing empty fields but keeps leading ones.
        var words = text.Split(' ').ToList();
        while (words.Count > 0 && words[^1].Length == 0)
        {
            words.RemoveAt(words.Count - 1);
        }

        var result = new StringBuilder();
        foreach (var word in words.Where(w => !w.StartsWith("R::", StringComparison.Ordinal)))
        {
            result.Append(word).Append(' ');
        }

        return result.Length == 0 ? null : result.ToString();
    }

    // gen_net_boot_params: installnic (else primarynic) names the boot NIC, unless it is "mac" or a MAC address;
    // linuximage.nodebootif is the fallback name. A MAC in installnic gives BOOTIF=; a name gives netdev=.
    private void AppendNetworkDevice(StringBuilder line)
    {
        var installNic = string.IsNullOrEmpty(InstallNic) ? PrimaryNic : InstallNic;
        var nicName = NodeBootIf;
        string? setMac = null;
        string? mac;
        if (string.IsNullOrEmpty(installNic) || string.Equals(installNic, "mac", StringComparison.OrdinalIgnoreCase))
        {
            mac = Mac;
        }
        else if (MacAddress().IsMatch(installNic))
        {
            mac = setMac = installNic;
        }
        else
        {
            mac = Mac;
            nicName = installNic;
        }

        if (!string.IsNullOrEmpty(nicName) && setMac is null)
        {
            line.Append($"netdev={nicName} ");
        }
        else if (!string.IsNullOrEmpty(mac) && (setMac is not null || Arch.Contains("ppc", StringComparison.Ordinal)))
        {
            line.Append($"BOOTIF={mac} ");
        }
    }

    private void AppendConsole(StringBuilder line)
    {
        if (SerialPort is null)
        {
            return;
        }

        var device = Arch.Contains("ppc64", StringComparison.OrdinalIgnoreCase) ? "hvc" : "ttyS";
        line.Append(DebianFamily ? string.Empty : " ");
        line.Append($"console=tty0 console={device}{SerialPort},{SerialSpeed}");
        if (SerialFlow is not null && FlowControl().IsMatch(SerialFlow))
        {
            line.Append("n8r");
        }
    }

    private void AppendDump(StringBuilder line)
    {
        if (string.IsNullOrEmpty(Dump) || DebianFamily)
        {
            return;
        }

        if (!string.IsNullOrEmpty(CrashKernelSize))
        {
            line.Append($" crashkernel={CrashKernelSize} dump={Dump} ");
        }
        else if (Arch.Contains("86", StringComparison.Ordinal))
        {
            line.Append($" crashkernel=128M dump={Dump} ");
        }
    }

    // noderes.nfsdir moves the NFS root: "<nfsdir>/netboot/<os>/<arch>/<profile>", or the path itself when it starts with //.
    private string NfsDirectory()
    {
        if (string.IsNullOrEmpty(NfsDir))
        {
            return RootImageDirectory;
        }

        return NfsDir.StartsWith("//", StringComparison.Ordinal) ? NfsDir[1..] : $"{NfsDir}/netboot/{OsVers}/{Arch}/{Profile}";
    }

    [GeneratedRegex("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")]
    private static partial Regex MacAddress();

    [GeneratedRegex("hard|tcs|ctsrts")]
    private static partial Regex FlowControl();

    [GeneratedRegex(@"(fedora12|fedora13|(?:rhels|ol|alma|rocky)(?:[7-9]|10))")]
    private static partial Regex SelinuxOff();
}
