namespace XcatImageBuild.Nodeset;

/// <summary>
/// pxe.pm's files: <c>&lt;tftpdir&gt;/pxelinux.cfg/&lt;node&gt;</c> and a symbolic link named after the node's IP
/// address in hex (<c>0A000065</c>), which is the name pxelinux asks for.
/// </summary>
internal static class PxelinuxBootFile
{
    /// <summary>Plans the node's files; <paramref name="serverAddress"/> replaces the image server placeholder.</summary>
    public static void Plan(BootFiles files, string tftpDir, BootLoader boot, string serverAddress, string nodeAddress, string osVers)
    {
        var directory = $"{tftpDir.TrimEnd('/')}/pxelinux.cfg";
        var file = $"{directory}/{boot.Node}";
        if (boot.IsLocalBoot)
        {
            files.Write(file, $"#{boot.State}\nDEFAULT xCAT\nLABEL xCAT\nLOCALBOOT 0\n");
        }
        else
        {
            var line = boot.CommandLineWithAdditions().Replace(KernelCommandLine.ImageServerPlaceholder, serverAddress, StringComparison.Ordinal);

            // pxelinux 3.86 on Fedora 12 and 13 mishandles IPAPPEND (pxe.pm).
            var ipAppend = osVers.Contains("fedora12", StringComparison.Ordinal) || osVers.Contains("fedora13", StringComparison.Ordinal)
                ? string.Empty
                : "  IPAPPEND 2\n";
            files.Write(file, $"#{boot.State}\nDEFAULT xCAT\nLABEL xCAT\n KERNEL {boot.Kernel}\n APPEND initrd={boot.Initrd} {line}\n{ipAppend}");
        }

        files.SymbolicLink($"{directory}/{HexAddress(nodeAddress)}", boot.Node);
    }

    /// <summary>An IPv4 address as pxelinux and grub2 name their files: <c>10.0.0.101</c> is <c>0A000065</c>.</summary>
    public static string HexAddress(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return string.Concat(System.Net.IPAddress.Parse(address).GetAddressBytes().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
    }
}
