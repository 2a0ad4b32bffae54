using XcatImageBuild.Tables;
namespace XcatImageBuild.Tests.Nodeset;

/// <summary>nodeset checks every node and image first and writes nothing when any is refused.</summary>
public sealed class NodesetRefusalTests : IDisposable
{
    private readonly NodesetSite _site = new();

    public NodesetRefusalTests()
    {
        _site.Node("good", "netboot=xnba", "mac=52:54:00:00:00:01");
    }

    public void Dispose() => _site.Dispose();

    [Theory]
    [InlineData("good,ghost", NodesetSite.Rhel, "Invalid nodes and/or groups in noderange: ghost")]
    [InlineData("good", "nosuchimage", "Cannot find the OS image nosuchimage in the osimage table.")]
    [InlineData("good,nomac", NodesetSite.Rhel, "nomac: No MAC address available for this node")]
    [InlineData("good,noloader", NodesetSite.Rhel, "noloader: noderes.netboot is not set")]
    [InlineData("good,noip", NodesetSite.Rhel, "noip: xCAT unable to resolve IP in grub2 plugin")]
    [InlineData("good,nospeed", NodesetSite.Rhel, "nospeed: serialport defined, but no serialspeed for nospeed in nodehm table")]
    [InlineData("good", "install-image", "is a 'install' image: xcatimg nodeset provisions netboot and statelite images only")]
    public void Nodeset_refuses_and_writes_nothing(string nodes, string image, string message)
    {
        // Given a good node beside one that cannot boot, or an image that cannot be served
        _site.Node("nomac", "netboot=xnba");
        _site.Node("noloader", "mac=52:54:00:00:00:02");
        _site.Node("noip", "netboot=grub2", "mac=52:54:00:00:00:03");
        _site.Node("nospeed", "netboot=xnba", "mac=52:54:00:00:00:04", "serialport=0");
        _site.Site.Run("mkdef", "-t", "osimage", "-o", "install-image", "imagetype=linux", "osvers=rhels9.4", "osarch=x86_64", "profile=compute", "provmethod=install");

        // When nodeset runs on both
        var result = _site.Site.Run("nodeset", nodes, $"osimage={image}");

        // Then it fails naming the problem, and neither node got a boot file, a copied kernel or a new state
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_site.Site.Map("/tftpboot/xcat")), _site.TftpTree());
        Assert.DoesNotContain("currstate", _site.Site.Run("lsdef", "good").Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kernel", "Did you run \"genimage\" before running \"packimage\"? kernel cannot be found at /install/netboot/rhels9.4/x86_64/compute/kernel on ")]
    [InlineData("initrd-stateless.gz", "Did you run \"genimage\" before running \"packimage\"? initrd.gz or initrd-stateless.gz cannot be found at")]
    [InlineData("rootimg.cpio.gz", "No packed image for platform rhels9.4, architecture x86_64, and profile compute found at")]
    public void Nodeset_refuses_an_image_with_a_missing_file(string missing, string message)
    {
        // Given the image lacks one of its files
        File.Delete(_site.Site.Map($"/install/netboot/rhels9.4/x86_64/compute/{missing}"));

        // When nodeset runs
        var result = _site.Site.Run("nodeset", "good", $"osimage={NodesetSite.Rhel}");

        // Then xCAT's message names it and nothing is written
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_site.Site.Map("/tftpboot/xcat")));
    }

    [Fact]
    public void Nodeset_refuses_a_root_image_directory_outside_the_install_directory()
    {
        // Given an image whose rootimgdir points outside /install (chdef refuses that value; a table edited by hand can hold it)
        _site.Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.LinuxImage, [NodesetSite.Rhel], new Dictionary<string, string?> { ["rootimgdir"] = "/etc" });
            return 0;
        });

        // When nodeset runs
        var result = _site.Site.Run("nodeset", "good", $"osimage={NodesetSite.Rhel}");

        // Then it is refused before any file is read or written
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("The root image directory /etc of rhels9.4-x86_64-netboot-compute is not under the install directory /install", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_site.Site.Map("/tftpboot/xcat")));
    }

    [Fact]
    public void Nodeset_reports_every_refused_node_together()
    {
        // Given two bad nodes
        _site.Node("nomac1", "netboot=xnba");
        _site.Node("nomac2", "netboot=xnba");

        // When nodeset runs on all
        var result = _site.Site.Run("nodeset", "good,nomac1,nomac2", $"osimage={NodesetSite.Rhel}");

        // Then both are named
        Assert.Contains("nomac1: No MAC address", result.Error, StringComparison.Ordinal);
        Assert.Contains("nomac2: No MAC address", result.Error, StringComparison.Ordinal);
    }
}
