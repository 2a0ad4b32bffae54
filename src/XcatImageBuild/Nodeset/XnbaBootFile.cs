namespace XcatImageBuild.Nodeset;

/// <summary>
/// xnba.pm's files: <c>&lt;tftpdir&gt;/xcat/xnba/nodes/&lt;node&gt;</c>, the iPXE script a BIOS node runs, and
/// <c>&lt;node&gt;.uefi</c> for UEFI nodes — the same commands with <c>initrd=initrd</c> when the kernel has an EFI
/// stub, else a chain to elilo with <c>&lt;node&gt;.elilo</c>. iPXE fetches everything over HTTP from
/// <c>${next-server}</c>, under the fixed <c>/tftpboot/</c> prefix xCAT writes whatever the tftp directory.
/// </summary>
internal static class XnbaBootFile
{
    /// <summary>Plans the node's files.</summary>
    public static void Plan(BootFiles files, string tftpDir, BootLoader boot, string httpPort, bool efiStub)
    {
        var nodes = $"{tftpDir.TrimEnd('/')}/xcat/xnba/nodes";
        var bios = $"{nodes}/{boot.Node}";
        files.Remove($"{bios}.pxelinux");
        if (boot.IsLocalBoot)
        {
            files.Write(bios, $"#!gpxe\n#{boot.State}\nexit\n");
            files.Write($"{bios}.uefi", $"#!gpxe\n#{boot.State}\nexit\n");
            return;
        }

        var server = "http://${next-server}:" + httpPort + "/tftpboot/";
        var line = boot.CommandLineWithAdditions().Replace(KernelCommandLine.ImageServerPlaceholder, "${next-server}", StringComparison.Ordinal);
        files.Write(bios,
            "#!gpxe\n" +
            $"#{boot.State}\n" +
            $"imgfetch -n kernel {server}{boot.Kernel}\n" +
            "imgload kernel\n" +
            $"imgargs kernel {line} BOOTIF=01-${{netX/machyp}}\n" +
            $"imgfetch -n initrd {server}{boot.Initrd}\n" +
            "imgexec kernel\n");

        if (efiStub)
        {
            files.Write($"{bios}.uefi",
                "#!gpxe\n" +
                $"imgfetch -n kernel {server}{boot.Kernel}\n" +
                "imgload kernel\n" +
                $"imgargs kernel {line} BOOTIF=01-${{netX/mac:hexhyp}} initrd=initrd\n" +
                $"imgfetch -n initrd {server}{boot.Initrd}\n" +
                "imgexec kernel\n");
            return;
        }

        // elilo takes %N for the server address and %B for the boot interface.
        var eliloLine = boot.CommandLineWithAdditions().Replace(KernelCommandLine.ImageServerPlaceholder, "%N", StringComparison.Ordinal);
        files.Write($"{bios}.uefi",
            "#!gpxe\n" +
            "chain http://${next-server}:" + httpPort + "/tftpboot/xcat/elilo-x64.efi -C /tftpboot/xcat/xnba/nodes/" + boot.Node + ".elilo\n");
        files.Write($"{bios}.elilo",
            "default=\"xCAT\"\n" +
            "delay=0\n\n" +
            $"image=/tftpboot/{boot.Kernel}\n" +
            "   label=\"xCAT\"\n" +
            $"   initrd=/tftpboot/{boot.Initrd}\n" +
            $"   append=\"{eliloLine} BOOTIF=%B\"\n");
    }

    /// <summary>
    /// Whether a kernel image has an EFI stub: a PE header for x86-64 (<c>PE\0\0</c> then machine 0x8664) in its first
    /// 512 bytes, as xnba.pm's has_efistub looks for.
    /// </summary>
    public static bool HasEfiStub(string kernelPath)
    {
        ArgumentNullException.ThrowIfNull(kernelPath);
        var head = new byte[512];
        int read;
        using (var file = File.OpenRead(kernelPath))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        ReadOnlySpan<byte> signature = [0x50, 0x45, 0x00, 0x00, 0x64, 0x86];
        return head.AsSpan(0, read).IndexOf(signature) >= 0;
    }
}
