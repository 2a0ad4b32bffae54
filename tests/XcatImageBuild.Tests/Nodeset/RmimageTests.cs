namespace XcatImageBuild.Tests.Nodeset;

/// <summary>rmimage removes what xCAT's rmimage removes, says so in xCAT's words, and nothing else.</summary>
public sealed class RmimageTests : IDisposable
{
    private const string Directory = "/install/netboot/rhels9.4/x86_64/compute";

    private readonly NodesetSite _site = new();

    public RmimageTests()
    {
        _site.Site.WriteFile($"{Directory}/rootimg/etc/hostname", "node\n");
        _site.Site.WriteFile($"{Directory}/rootimg.gz", "old packed image");
        _site.Site.WriteFile($"{Directory}/initrd-statelite.gz", "statelite initrd");
        _site.Site.WriteFile($"{Directory}/compute.postinstall.keep", "not an image file");
        _site.Node("cn01", "netboot=xnba", "mac=52:54:00:00:00:01");
        Assert.Equal(0, _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}").ExitCode);
    }

    public void Dispose() => _site.Dispose();

    [Fact]
    public void What_a_build_kept_beside_the_image_goes_with_it()
    {
        _site.Site.WriteFile($"{Directory}/.xcatimg-cache/rootimg/etc/hostname", "node\n");
        _site.Site.WriteFile($"{Directory}/.xcatimg-cache/packages.key", "key\n");

        var result = _site.Site.Run("rmimage", NodesetSite.Rhel);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Removing directory {Directory}/.xcatimg-cache\n", result.Output, StringComparison.Ordinal);
        Assert.Equal(["compute.postinstall.keep"], System.IO.Directory.EnumerateFileSystemEntries(_site.Site.Map(Directory)).Select(Path.GetFileName));
    }

    [Fact]
    public void Rmimage_removes_the_image_files_and_prints_xcats_lines()
    {
        // When rmimage removes the image packed and set up for a node (xCAT's rmimage_diskless case)
        var result = _site.Site.Run("rmimage", NodesetSite.Rhel);

        // Then it prints each removal as xCAT does, the files are gone, and the directory and other files stay
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            $"Removing directory {Directory}/rootimg\n" +
            $"Removing file {Directory}/kernel\n" +
            $"Removing file {Directory}/initrd-stateless.gz\n" +
            $"Removing file {Directory}/initrd-statelite.gz\n" +
            $"Removing file {Directory}/rootimg.cpio.gz\n" +
            $"Removing file {Directory}/rootimg.gz\n" +
            $"Removing directory /tftpboot/xcat/osimage/{NodesetSite.Rhel}\n" +
            "Image files have been removed successfully from this management node.\n",
            result.Output);
        Assert.Equal(["compute.postinstall.keep"], System.IO.Directory.EnumerateFileSystemEntries(_site.Site.Map(Directory)).Select(Path.GetFileName));
        Assert.False(System.IO.Directory.Exists(_site.Site.Map($"/tftpboot/xcat/osimage/{NodesetSite.Rhel}")));
        Assert.True(File.Exists(_site.Site.Map("/tftpboot/xcat/xnba/nodes/cn01")));

        // And nodeset then fails as in xCAT's test
        var nodeset = _site.Site.Run("nodeset", "cn01", $"osimage={NodesetSite.Rhel}");
        Assert.NotEqual(0, nodeset.ExitCode);
        Assert.Contains($"kernel cannot be found at {Directory}/kernel", nodeset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Rmimage_removes_links_in_the_root_and_never_what_they_point_to()
    {
        // Given a root whose links point at a directory and a file outside it, and at the site's whole install tree
        var outside = _site.Site.WriteFile("/outside/precious/data", "keep me");
        File.CreateSymbolicLink(_site.Site.Map($"{Directory}/rootimg/precious"), Path.GetDirectoryName(outside)!);
        File.CreateSymbolicLink(_site.Site.Map($"{Directory}/rootimg/install"), _site.Site.Map("/install"));
        File.CreateSymbolicLink(_site.Site.Map($"{Directory}/rootimg/etc/passwd-link"), outside);

        // When rmimage removes the image
        var result = _site.Site.Run("rmimage", NodesetSite.Rhel);

        // Then the links went with the root, and everything they pointed to is still there
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.False(System.IO.Directory.Exists(_site.Site.Map($"{Directory}/rootimg")));
        Assert.Equal("keep me", File.ReadAllText(outside));
        Assert.True(File.Exists(_site.Site.Map($"{Directory}/compute.postinstall.keep")));
    }

    [Fact]
    public void Rmimage_refuses_a_root_image_directory_that_a_link_takes_outside_the_install_directory()
    {
        // Given an image whose rootimgdir is a link to a directory outside /install holding a kernel and a rootimg
        _site.Site.WriteFile("/elsewhere/kernel", "not the image's");
        _site.Site.WriteFile("/elsewhere/rootimg/file", "not the image's");
        System.IO.Directory.CreateDirectory(_site.Site.Map("/install/netboot/linked"));
        File.CreateSymbolicLink(_site.Site.Map("/install/netboot/linked/image"), _site.Site.Map("/elsewhere"));
        _site.Site.Run("chdef", "-t", "osimage", NodesetSite.Rhel, "rootimgdir=/install/netboot/linked/image");

        // When rmimage runs
        var result = _site.Site.Run("rmimage", NodesetSite.Rhel);

        // Then it refuses and removes nothing
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("is not inside the install directory /install", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_site.Site.Map("/elsewhere/kernel")));
        Assert.True(File.Exists(_site.Site.Map("/elsewhere/rootimg/file")));
    }

    [Fact]
    public void Rmimage_with_xcatdef_also_removes_the_definition()
    {
        // When rmimage --xcatdef runs
        var result = _site.Site.Run("rmimage", NodesetSite.Rhel, "--xcatdef");

        // Then the definition is gone too, with xCAT's two lines
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.EndsWith(
            $"Removing osimage definition for {NodesetSite.Rhel}.\nosimage definition for {NodesetSite.Rhel} is removed successfully.\n",
            result.Output,
            StringComparison.Ordinal);
        Assert.NotEqual(0, _site.Site.Run("lsdef", "-t", "osimage", NodesetSite.Rhel).ExitCode);
    }

    [Fact]
    public void Rmimage_refuses_an_install_image_and_a_missing_directory()
    {
        // Given an install image and an image whose files were never built
        _site.Site.Run("mkdef", "-t", "osimage", "-o", "rhels9.4-x86_64-install-compute", "imagetype=linux", "provmethod=install", "osvers=rhels9.4", "osarch=x86_64", "profile=compute");

        // When rmimage is asked to remove them
        var install = _site.Site.Run("rmimage", "rhels9.4-x86_64-install-compute");
        var missing = _site.Site.Run("rmimage", "sles15.5-x86_64-netboot-nothing");

        // Then each gets xCAT's message
        Assert.Contains("Invalid method \"install\", the rmimage command can only be used to remove the netboot, statelite, sysclone or raw image files", install.Error, StringComparison.Ordinal);
        Assert.Contains("Image directory /install/netboot/sles15.5/x86_64/nothing does not exist", missing.Error, StringComparison.Ordinal);
    }
}
