using XcatImageBuild.IntegrationTests.Genimage;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Boottest;

/// <summary>
/// boottest on the Debian test image, as a user runs it: the node is defined with xCAT's attributes, packimage packs
/// the root with a synclist, nodeset writes the xnba file, and boottest boots it in qemu through iPXE, TFTP, HTTP and
/// imgurl= until the image's init prints its ready marker.
/// </summary>
[Collection(GenimageTestGroup.Name)]
public sealed class BoottestTests
{
    private const string Node = "cn01";
    private const string Image = DebianImageFixture.ImageName;

    private readonly DebianImageFixture _image;

    public BoottestTests(DebianImageFixture image)
    {
        _image = image;
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);
        var site = image.Site;
        site.WriteFile("/install/custom/netboot/debian/synced", "synced from the management node\n");
        site.WriteFile("/install/custom/netboot/debian/compute.synclist", "/install/custom/netboot/debian/synced -> /etc/xcatimg-synced\n");

        // What a boot does not need stays out, to keep the guest's memory small, as a diskless exlist does.
        site.WriteFile("/install/custom/netboot/debian/boottest.exlist", "./usr/lib/modules*\n./usr/share/doc*\n./usr/share/man*\n./usr/share/locale*\n./boot*\n");
        Run("chdef", "-t", "osimage", Image, "synclists=/install/custom/netboot/debian/compute.synclist", "exlist=/install/custom/netboot/debian/boottest.exlist");
        Run("chdef", "-t", "site", $"httpport={LoopbackPort.Free()}");
        Run("mkdef", "-f", "-t", "node", Node, "groups=compute", "netboot=xnba", "mac=52:54:00:12:34:56", "serialport=0", "serialspeed=115200",
            "xcatmaster=10.0.0.1", "ip=10.0.0.101");
        Run("packimage", Image);
        Run("nodeset", Node, $"osimage={Image}");
    }

    [Fact]
    public void Boottest_boots_the_node_through_ipxe_and_imgurl_into_its_image()
    {
        // Given the node set to the packed image, its server at 10.0.0.1 as nodeset wrote it into the xnba file
        Assert.Contains("imgurl=http://10.0.0.1:", File.ReadAllText(_image.Site.Map($"/tftpboot/xcat/xnba/nodes/{Node}")), StringComparison.Ordinal);

        // When boottest boots it
        var result = _image.Site.Run("boottest", Node, "--file", "/etc/xcatimg-postinstall", "--file", "/etc/xcatimg-synced");

        // Then the booted system reports a tmpfs root holding the image, its name, the postinstall's marker and the synced file
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains(
            $"{Node}: booted {Image} in ",
            result.Output,
            StringComparison.Ordinal);
        Assert.Contains(
            $"XCATIMG-READY root=tmpfs IMAGENAME={Image} file=/etc/xcatimg-postinstall file=/etc/xcatimg-synced",
            result.Output,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Boottest_that_sees_no_ready_marker_in_time_fails_with_what_was_missing()
    {
        // Given the same node, and far too little time for it to boot
        // When boottest runs with a 15 s bound
        var result = _image.Site.Run("boottest", Node, "--timeout", "15");

        // Then it fails, saying no ready marker came, what the node fetched, and where its console log is
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error: {Node} did not boot {Image}: no ready marker within 15 s.", result.Error, StringComparison.Ordinal);
        Assert.Contains("missing: no XCATIMG-READY line on the serial console", result.Error, StringComparison.Ordinal);
        Assert.Contains($"Serial console, last lines of /var/log/xcatimg/boottest/{Node}.console:", result.Error, StringComparison.Ordinal);
    }

    private void Run(params string[] args)
    {
        var result = _image.Site.Run(args);
        Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: {result.Error}");
    }
}
