using System.Net;
using System.Net.Sockets;
using XcatImageBuild.Boottest;
using XcatImageBuild.Tests.Nodeset;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Boottest;

/// <summary>
/// What boottest checks before qemu starts, what it reads from the xnba file, how it lays out qemu's network, what its
/// web server serves and how it judges a ready marker. The boot itself is in the integration tests.
/// </summary>
public sealed class BoottestTests : IDisposable
{
    private readonly NodesetSite _site = new();

    public void Dispose() => _site.Dispose();

    [Fact]
    public void Boottest_refuses_a_node_that_is_not_defined()
    {
        var result = _site.Site.Run("boottest", "nosuchnode");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: Invalid node name: nosuchnode", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Boottest_refuses_a_node_that_does_not_boot_through_xnba()
    {
        _site.Node("cn01", "netboot=grub2", "mac=52:54:00:00:00:01", "ip=10.0.0.101");

        var result = _site.Site.Run("boottest", "cn01");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: cn01: noderes.netboot is 'grub2'; boottest boots a node through iPXE and its xnba file.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Boottest_refuses_a_node_nodeset_has_not_set()
    {
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");

        var result = _site.Site.Run("boottest", "cn01");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error: cn01 has no boot file /tftpboot/xcat/xnba/nodes/cn01; run 'nodeset cn01 osimage=<image>' first.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Boottest_refuses_a_node_whose_console_is_on_no_serial_port()
    {
        // Given a node set to an image without nodehm.serialport: its kernel writes to no port boottest reads
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");
        Assert.Equal(0, _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}").ExitCode);

        var result = _site.Site.Run("boottest", "cn01");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("puts the kernel's console on no serial port", result.Error, StringComparison.Ordinal);
        Assert.Contains("chdef cn01 serialport=0 serialspeed=115200", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Boottest_refuses_a_node_set_to_boot_from_disk()
    {
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");
        Assert.Equal(0, _site.Site.Run("nodeset", "cn01", "boot").ExitCode);

        var result = _site.Site.Run("boottest", "cn01");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("cn01 is not set to boot a diskless image (/tftpboot/xcat/xnba/nodes/cn01 says '#boot')", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_xnba_file_names_the_server_port_and_console_nodeset_wrote()
    {
        // Given the file nodeset writes for a node with a master and a serial console
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01", "xcatmaster=10.0.0.1", "serialport=1", "serialspeed=115200");
        Assert.Equal(0, _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}").ExitCode);

        // When boottest reads it
        var script = XnbaScript.Parse(_site.Read("/tftpboot/xcat/xnba/nodes/cn01"), "cn01");

        // Then it finds the image URL's server, the one port everything comes from and the console's port
        Assert.True(script.BootsImage);
        Assert.Equal(IPAddress.Parse("10.0.0.1"), script.ServerAddress);
        Assert.Equal([80], script.HttpPorts);
        Assert.Equal(1, script.SerialPort);
        Assert.Equal("/tftpboot/xcat/osimage/rhels9.4-x86_64-netboot-compute/kernel", script.Fetches[0].AbsolutePath);
    }

    [Fact]
    public void The_user_network_puts_the_host_on_the_master_address_and_offers_the_node_its_own()
    {
        var network = QemuUserNetwork.Around(IPAddress.Parse("10.0.0.1"), IPAddress.Parse("10.0.0.101"));

        Assert.Equal(
            "user,id=n,net=10.0.0.0/24,host=10.0.0.1,dhcpstart=10.0.0.101,dns=10.0.0.254,tftp=/site/tftp,,boot,bootfile=xcat/xnba/nodes/cn01",
            network.NetdevArgument("n", "/site/tftp,boot", "xcat/xnba/nodes/cn01"));
    }

    [Fact]
    public void The_user_network_keeps_the_dhcp_range_off_the_host_and_dns_addresses()
    {
        // A node on another network gets the default start, which must not hold the host (.20) ...
        var network = QemuUserNetwork.Around(IPAddress.Parse("192.168.5.20"), IPAddress.Parse("10.1.1.1"));
        Assert.Equal(IPAddress.Parse("192.168.5.64"), network.DhcpStart);

        // ... and the DNS address moves off a host at .254
        Assert.Equal(IPAddress.Parse("192.168.5.253"), QemuUserNetwork.Around(IPAddress.Parse("192.168.5.254"), null).Dns);
    }

    [Fact]
    public void A_loopback_master_cannot_be_the_user_network_host()
    {
        var error = Assert.Throws<XcatException>(() => QemuUserNetwork.Around(IPAddress.Loopback, null));
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_server_serves_the_tftp_and_install_trees_and_nothing_else()
    {
        // Given a site with a boot file, an image file and a file outside both trees
        _site.Site.WriteFile("/tftpboot/xcat/osimage/img/kernel", "kernel bytes");
        _site.Site.WriteFile("/install/netboot/img/rootimg.cpio.gz", "root bytes");
        _site.Site.WriteFile("/etc/secret", "secret");
        File.CreateSymbolicLink(_site.Site.Map("/install/netboot/img/escape"), _site.Site.Map("/etc/secret"));
        var port = LoopbackPort.Free();
        using var server = new BootHttpServer(port, new Dictionary<string, string>
        {
            ["tftpboot"] = _site.Site.Map("/tftpboot"),
            ["install"] = _site.Site.Map("/install"),
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        // When a node fetches them, with xCAT's double slash in the image URL
        var kernel = await client.GetStringAsync("/tftpboot/xcat/osimage/img/kernel");
        var root = await client.GetStringAsync(new Uri($"http://127.0.0.1:{port}//install/netboot/img/rootimg.cpio.gz"));

        // Then both are served, and nothing outside the trees, through .. or through a link
        Assert.Equal("kernel bytes", kernel);
        Assert.Equal("root bytes", root);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/etc/secret")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/install/netboot/img/escape")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/install/%2e%2e/etc/secret")).StatusCode);
    }

    [Fact]
    public void The_web_server_says_when_its_port_is_taken()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = Assert.Throws<XcatException>(() => new BootHttpServer(port, new Dictionary<string, string>()));

        Assert.Contains($"Cannot serve HTTP on 127.0.0.1:{port} (site.httpport)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ready_marker_proves_the_root_the_image_and_the_files()
    {
        var console = "[    5.1] Run /init\r\nXCATIMG-READY root=tmpfs IMAGENAME=img file=/etc/a file=/etc/b\r\n[ 9.0] reboot: Power down\n";

        var marker = ReadyMarker.Find(console);

        Assert.Equal("XCATIMG-READY root=tmpfs IMAGENAME=img file=/etc/a file=/etc/b", marker);
        Assert.Empty(ReadyMarker.Missing(marker!, "img", ["/etc/a", "/etc/b"]));
    }

    [Fact]
    public void A_ready_marker_that_falls_short_says_what_is_missing()
    {
        var missing = ReadyMarker.Missing("XCATIMG-READY root=ext4 IMAGENAME=other file=/etc/a", "img", ["/etc/a", "/etc/synced"]);

        Assert.Equal(
            [
                "the root is not the tmpfs holding the image (root=ext4)",
                "IMAGENAME in /opt/xcat/xcatinfo is not img (IMAGENAME=other)",
                "the file /etc/synced is not in the booted system",
            ],
            missing);
    }
}
