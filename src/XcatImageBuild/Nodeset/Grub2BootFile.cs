namespace XcatImageBuild.Nodeset;

/// <summary>
/// grub2.pm's files: <c>&lt;tftpdir&gt;/boot/grub2/&lt;node&gt;</c> (no final newline), hard-linked as
/// <c>grub.cfg-&lt;HEXIP&gt;</c> and <c>grub.cfg-01-&lt;aa-bb-cc-dd-ee-ff&gt;</c>, the names grub asks for, and the
/// symbolic link <c>grub2-&lt;node&gt;</c> to <c>grub2.&lt;arch&gt;</c> for DHCP to hand out. <c>grub2-http</c> loads
/// over HTTP, with paths under the tftp directory.
/// </summary>
internal static class Grub2BootFile
{
    /// <summary>
    /// Plans the node's files: <paramref name="serverAddress"/> is the tftp server the node loads from,
    /// <paramref name="facingAddress"/> the management node's address that replaces the image server placeholder.
    /// </summary>
    public static void Plan(
        BootFiles files, string tftpDir, BootLoader boot, string netboot, string serverAddress, string facingAddress, string nodeAddress, string mac, string arch, string httpPort, bool debug)
    {
        var root = $"{tftpDir.TrimEnd('/')}/boot/grub2";
        var file = $"{root}/{boot.Node}";
        var header = $"#{boot.State}\n" + (debug ? "set debug=all\n" : string.Empty) + "set timeout=5\n";
        if (boot.IsLocalBoot)
        {
            files.Write(file, header);
            files.Remove($"{root}/grub2-{boot.Node}");
        }
        else
        {
            var protocol = netboot == "grub2-http" ? "http" : "tftp";
            var prefix = protocol == "http" ? tftpDir.TrimEnd('/') : string.Empty;
            var efi = arch.Contains("x86", StringComparison.OrdinalIgnoreCase) ? "efi" : string.Empty;
            var rootLine = protocol == "http" && httpPort != "80" ? $"http,{serverAddress}:{httpPort}" : $"{protocol},{serverAddress}";
            var line = boot.CommandLine!.Replace(KernelCommandLine.ImageServerPlaceholder, facingAddress, StringComparison.Ordinal);

            // grub2.pm joins the additions differently from xnba and pxe: each set ends in a blank before the split.
            var additions = (string.IsNullOrEmpty(boot.NodeAddKcmdline) ? string.Empty : boot.NodeAddKcmdline + " ")
                + (string.IsNullOrEmpty(boot.ImageAddKcmdline) ? string.Empty : boot.ImageAddKcmdline + " ");
            if (additions.Length > 0 && KernelCommandLine.VolatileArguments(additions) is { } words)
            {
                line += " " + words;
            }

            files.Write(file, header +
                "set default=\"xCAT OS Deployment\"\n" +
                "menuentry \"xCAT OS Deployment\" {\n" +
                "    insmod http\n" +
                "    insmod tftp\n" +
                $"    set root={rootLine}\n" +
                "    echo Loading Install kernel ...\n" +
                $"    linux{efi} {prefix}/{boot.Kernel} {line} BOOTIF=$net_default_mac\n" +
                "    echo Loading initial ramdisk ...\n" +
                $"    initrd{efi} {prefix}/{boot.Initrd}\n" +
                "}");
            var binary = arch.Contains("ppc64", StringComparison.OrdinalIgnoreCase) ? "ppc" : arch;
            files.SymbolicLink($"{root}/grub2-{boot.Node}", $"grub2.{binary}");
        }

        files.HardLink(file, $"{root}/grub.cfg-{PxelinuxBootFile.HexAddress(nodeAddress)}");
        files.HardLink(file, $"{root}/grub.cfg-01-{mac.ToLowerInvariant().Replace(':', '-')}");
    }
}
