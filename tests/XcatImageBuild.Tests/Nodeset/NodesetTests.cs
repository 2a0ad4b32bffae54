using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Nodeset;

/// <summary>
/// nodeset writes xCAT 2.18.2's boot files byte for byte: the samples of xcat-spec §10 exactly, and golden files for
/// each loader, BIOS and UEFI, netboot and statelite. Regenerate the golden files with
/// <c>XCATIMG_UPDATE_GOLDEN=1 dotnet test --filter FullyQualifiedName~Nodeset</c>.
/// </summary>
public sealed class NodesetTests : IDisposable
{
    private readonly NodesetSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void Nodeset_writes_the_xnba_file_of_xcat_2_18_2_for_a_rhel_netboot_image()
    {
        // Given cn01 as in xcat-spec §10: xnba, master 10.0.0.1, boot NIC eth0, and an image with addkcmdline
        _site.Node("cn01", "netboot=xnba", "xcatmaster=10.0.0.1", "installnic=eth0", "mac=52:54:00:00:00:01");

        // When nodeset gives it the image
        var result = _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}");

        // Then it says so, and the BIOS file is xCAT's own output, double spaces and all
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("cn01: netboot rhels9.4-x86_64-compute\n", result.Output);
        Assert.Equal(
            "#!gpxe\n" +
            "#netboot rhels9.4-x86_64-compute\n" +
            "imgfetch -n kernel http://${next-server}:80/tftpboot/xcat/osimage/rhels9.4-x86_64-netboot-compute/kernel\n" +
            "imgload kernel\n" +
            "imgargs kernel imgurl=http://10.0.0.1:80//install/netboot/rhels9.4/x86_64/compute/rootimg.cpio.gz XCAT=10.0.0.1:3001 NODE=cn01 FC=0 XCATHTTPPORT=80 netdev=eth0  selinux=0   rd.shell=0 nomodeset  BOOTIF=01-${netX/machyp}\n" +
            "imgfetch -n initrd http://${next-server}:80/tftpboot/xcat/osimage/rhels9.4-x86_64-netboot-compute/initrd-stateless.gz\n" +
            "imgexec kernel\n",
            _site.Read("/tftpboot/xcat/xnba/nodes/cn01"));
    }

    [Fact]
    public void Nodeset_writes_the_grub2_file_of_xcat_2_18_2_and_links_it_by_address_and_mac()
    {
        // Given cn03 as in xcat-spec §10: grub2, no xcatmaster (site.master faces it), address 10.0.0.103
        _site.Node("cn03", "netboot=grub2", "ip=10.0.0.103", "mac=52:54:00:00:00:03");

        // When nodeset gives it the image
        var result = _site.Site.Run("nodeset", "cn03", $"osimage={NodesetSite.Rhel}");

        // Then the file is xCAT's, without a final newline, and grub finds it by the node's hex address and MAC
        Assert.True(result.ExitCode == 0, result.Error);
        var expected =
            "#netboot rhels9.4-x86_64-compute\n" +
            "set timeout=5\n" +
            "set default=\"xCAT OS Deployment\"\n" +
            "menuentry \"xCAT OS Deployment\" {\n" +
            "    insmod http\n" +
            "    insmod tftp\n" +
            "    set root=tftp,10.0.0.1\n" +
            "    echo Loading Install kernel ...\n" +
            "    linuxefi /xcat/osimage/rhels9.4-x86_64-netboot-compute/kernel imgurl=http://10.0.0.1:80//install/netboot/rhels9.4/x86_64/compute/rootimg.cpio.gz XCAT=10.0.0.1:3001 NODE=cn03 FC=0 XCATHTTPPORT=80  selinux=0  rd.shell=0 nomodeset  BOOTIF=$net_default_mac\n" +
            "    echo Loading initial ramdisk ...\n" +
            "    initrdefi /xcat/osimage/rhels9.4-x86_64-netboot-compute/initrd-stateless.gz\n" +
            "}";
        Assert.Equal(expected, _site.Read("/tftpboot/boot/grub2/cn03"));
        Assert.Equal(expected, _site.Read("/tftpboot/boot/grub2/grub.cfg-0A000067"));
        Assert.Equal(expected, _site.Read("/tftpboot/boot/grub2/grub.cfg-01-52-54-00-00-00-03"));
    }

    [Fact]
    public void Boot_files_of_every_loader_for_bios_and_uefi_netboot_and_statelite_match_the_golden_files()
    {
        // Given nodes of every loader, with and without xcatmaster, a serial console, a MAC as installnic, a Debian
        // image, an NFS statelite image whose kernel has no EFI stub, and a ramdisk statelite image
        _site.Node("cn01", "netboot=xnba", "xcatmaster=10.0.0.1", "installnic=eth0", "mac=52:54:00:00:00:01");
        _site.Node("cn02", "netboot=pxe", "ip=10.0.0.102", "mac=52:54:00:00:00:02", "serialport=0", "serialspeed=115200", "serialflow=hard");
        _site.Node("cn03", "netboot=grub2", "ip=10.0.0.103", "mac=52:54:00:00:00:03", "addkcmdline=R::crashkernel=auto quiet");
        _site.Node("cn04", "netboot=grub2-http", "ip=10.0.0.104", "mac=52:54:00:00:00:04", "tftpserver=10.0.0.2");
        _site.Node("deb01", "netboot=xnba", "xcatmaster=10.0.0.1", "installnic=52:54:00:00:01:01", "mac=52:54:00:00:01:01", "serialport=1", "serialspeed=9600");
        _site.Node("lite01", "netboot=xnba", "mac=52:54:00:00:02:01", "nfsserver=10.0.0.5");
        _site.Node("lite02", "netboot=pxe", "ip=10.0.0.202", "mac=52:54:00:00:02:02", "xcatmaster=10.0.0.1");
        _site.Node("ram01", "netboot=xnba", "mac=52:54:00:00:03:01");

        // When nodeset sets each to its image
        foreach (var (nodes, image) in new[]
        {
            ("cn01,cn02,cn03,cn04", NodesetSite.Rhel), ("deb01", NodesetSite.Debian), ("lite01,lite02", NodesetSite.Statelite), ("ram01", NodesetSite.Ramdisk),
        })
        {
            var result = _site.Site.Run("nodeset", nodes, $"osimage={image}");
            Assert.True(result.ExitCode == 0, result.Error);
        }

        // Then every boot file and link is the golden one
        Golden.Check("Nodeset/tftpboot-netboot.txt", _site.TftpTree());
    }

    [Fact]
    public void Nodeset_boot_writes_the_local_boot_files_and_clears_the_diskless_image()
    {
        // Given nodes of each loader set to a diskless image
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");
        _site.Node("cn02", "netboot=pxe", "ip=10.0.0.102", "mac=52:54:00:00:00:02");
        _site.Node("cn03", "netboot=grub2", "ip=10.0.0.103", "mac=52:54:00:00:00:03");
        Assert.Equal(0, _site.Site.Run("nodeset", "cn01-cn03", $"osimage={NodesetSite.Rhel}").ExitCode);

        // When nodeset sets them to boot from disk
        var result = _site.Site.Run("nodeset", "compute", "boot");

        // Then each says boot, the files are the local-boot ones and nodetype no longer names the image
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("cn01: boot\ncn02: boot\ncn03: boot\n", result.Output);
        Golden.Check("Nodeset/tftpboot-boot.txt", _site.TftpTree());
        var lsdef = _site.Site.Run("lsdef", "cn01");
        Assert.DoesNotContain("provmethod=", lsdef.Output, StringComparison.Ordinal);
        Assert.Contains("currstate=boot", lsdef.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Nodeset_records_the_image_and_the_state_in_the_node()
    {
        // Given a node
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");

        // When nodeset gives it the image
        _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}");

        // Then lsdef shows the image's os, arch, profile, the image as provmethod and the state
        var lsdef = _site.Site.Run("lsdef", "cn01").Output;
        Assert.Contains($"    provmethod={NodesetSite.Rhel}\n", lsdef, StringComparison.Ordinal);
        Assert.Contains("    os=rhels9.4\n", lsdef, StringComparison.Ordinal);
        Assert.Contains("    currstate=netboot rhels9.4-x86_64-compute\n", lsdef, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_site.Site.Map("/install/netboot/rhels9.4/x86_64/compute/kernel")), File.ReadAllBytes(_site.Site.Map($"/tftpboot/xcat/osimage/{NodesetSite.Rhel}/kernel")));
    }

    [Fact]
    public void Nodeset_osimage_without_a_name_uses_the_image_in_nodetype_provmethod()
    {
        // Given a node whose provmethod names the Debian image
        _site.Node("deb01", "netboot=xnba", "mac=52:54:00:00:01:01", $"provmethod={NodesetSite.Debian}", "serialport=0", "serialspeed=115200");

        // When nodeset is asked for the node's own image
        var result = _site.Site.Run("nodeset", "deb01", "osimage");

        // Then the node boots it
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("deb01: netboot debian12-x86_64-compute\n", result.Output);
    }

    [Fact]
    public void Nodeset_serves_the_packed_image_nodes_know_first()
    {
        // Given an image packed both as tar.xz and cpio.xz
        _site.Site.WriteFile("/install/netboot/debian12/x86_64/compute/rootimg.cpio.xz", "xz");
        File.Delete(_site.Site.Map("/install/netboot/debian12/x86_64/compute/rootimg.cpio.gz"));
        _site.Site.WriteFile("/install/netboot/debian12/x86_64/compute/rootimg.tar.xz", "xz");
        _site.Node("deb01", "netboot=xnba", "mac=52:54:00:00:01:01", "serialport=0", "serialspeed=115200");

        // When nodeset runs
        _site.Site.Run("nodeset", "deb01", $"osimage={NodesetSite.Debian}");

        // Then the node is sent the cpio.xz, as xCAT's searchcompressedrootimg chooses
        Assert.Contains("/compute/rootimg.cpio.xz XCAT=", _site.Read("/tftpboot/xcat/xnba/nodes/deb01"), StringComparison.Ordinal);
    }

    [Fact]
    public void Nodeset_warns_when_only_a_zstd_image_exists()
    {
        // Given an image packed only with zstd
        File.Delete(_site.Site.Map("/install/netboot/debian12/x86_64/compute/rootimg.cpio.gz"));
        _site.Site.WriteFile("/install/netboot/debian12/x86_64/compute/rootimg.cpio.zst", "zst");
        _site.Node("deb01", "netboot=xnba", "mac=52:54:00:00:01:01", "serialport=0", "serialspeed=115200");

        // When nodeset runs
        var result = _site.Site.Run("nodeset", "deb01", $"osimage={NodesetSite.Debian}");

        // Then it serves it and warns that stock xCAT initrds cannot unpack it
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("rootimg.cpio.zst, which only xcatimg's initrd unpacks", result.Error, StringComparison.Ordinal);
        Assert.Contains("/compute/rootimg.cpio.zst XCAT=", _site.Read("/tftpboot/xcat/xnba/nodes/deb01"), StringComparison.Ordinal);
    }
}
