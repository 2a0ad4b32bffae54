using XcatImageBuild.Processes;
using XcatImageBuild.Tables;

namespace XcatImageBuild.IntegrationTests.Genimage;

[Collection(GenimageTestGroup.Name)]
public sealed class DebianGenimageTests(DebianImageFixture image)
{
    [Fact]
    public void A_Debian_image_is_built_with_mmdebstrap_and_its_postinstall_ran_outside_the_chroot()
    {
        // Given the Debian 12 image built by the fixture
        // Then genimage succeeded, the passes installed their packages and the postinstall left its marker
        Assert.True(image.Result.ExitCode == 0, image.Result.Error + image.Result.Output);
        Assert.True(File.Exists(Path.Combine(image.RootDirectory, "var/lib/dpkg/info/iproute2.list")), "the second pass installs iproute2");
        Assert.True(File.Exists(Path.Combine(image.RootDirectory, "usr/bin/dracut")));
        var marker = File.ReadAllText(Path.Combine(image.RootDirectory, "etc/xcatimg-postinstall"));
        Assert.Contains("args: debian12 x86_64 compute marker-argument", marker, StringComparison.Ordinal);
        Assert.Contains($"image: {DebianImageFixture.ImageName} compute debian12 x86_64", marker, StringComparison.Ordinal);
        Assert.Contains("IMG_ROOTIMGDIR is the root", marker, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kernel_and_the_stateless_initrd_are_in_the_root_image_directory_and_the_tftp_tree()
    {
        // Given the built image
        // Then rootimgdir holds kernel and initrd-stateless.gz, and xCAT's tftp copy of both exists
        var kernel = Path.Combine(image.ImageDirectory, "kernel");
        var initrd = Path.Combine(image.ImageDirectory, "initrd-stateless.gz");
        Assert.True(new FileInfo(kernel).Length > 1_000_000, "a real kernel is megabytes");
        Assert.True(new FileInfo(initrd).Length > 1_000_000, "a real initrd is megabytes");
        var vmlinuz = Directory.GetFiles(Path.Combine(image.RootDirectory, "boot"), "vmlinuz-*").Single();
        Assert.Equal(File.ReadAllBytes(vmlinuz), File.ReadAllBytes(kernel));
        var tftp = image.Site.Map($"/tftpboot/xcat/osimage/{DebianImageFixture.ImageName}");
        Assert.True(File.Exists(Path.Combine(tftp, "kernel")));
        Assert.True(File.Exists(Path.Combine(tftp, "initrd-stateless.gz")));
        Assert.False(File.Exists(Path.Combine(image.ImageDirectory, "initrd-statelite.gz")), "a netboot image has no statelite initrd");
    }

    [Fact]
    public void The_initrd_holds_the_xcatimg_dracut_module_and_the_virtio_network_driver()
    {
        // Given the built initrd
        var initrd = Path.Combine(image.ImageDirectory, "initrd-stateless.gz");

        // When the real gzip and cpio list it
        var listing = new ProcessRunner().Run(new ToolCommand("sh", ["-c", "gzip -dc \"$1\" | cpio -t --quiet", "sh", initrd])).StandardOutput;

        // Then our hooks, our netroot handler, the network module and virtio_net are inside
        var names = listing.Split('\n');
        Assert.Contains(names, n => n.EndsWith("hooks/cmdline/10-xcatimg-cmdline.sh", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("hooks/mount/90-xcatimg-mount.sh", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("sbin/xcatimgroot", StringComparison.Ordinal));
        Assert.Contains(names, n => n.Contains("/virtio_net.ko", StringComparison.Ordinal));
        Assert.Contains(names, n => n.EndsWith("sbin/netroot", StringComparison.Ordinal));
    }

    [Fact]
    public void The_linuximage_row_records_what_genimage_used()
    {
        // Given the built image
        // When its linuximage row is read back
        var row = image.Site.Site.Database.Find(XcatSchema.LinuxImage, DebianImageFixture.ImageName)!;

        // Then xCAT's write-back columns are set
        Assert.Equal("755", row["permission"]);
        Assert.Equal("/install/debian12/x86_64", row["pkgdir"]);
        Assert.Equal("/install/netboot/debian12/x86_64/compute", row["rootimgdir"]);
        Assert.Equal("/install/custom/netboot/debian/compute.debian12.pkglist", row["pkglist"]);
    }

    [Fact]
    public void Nothing_stays_mounted_and_no_package_archive_is_left_in_the_root()
    {
        // Given the built image
        // Then no mount remains under the site, the .debs live in the site's cache and not in the root
        Assert.Empty(ImageRows.MountsUnder(image.Site));
        Assert.Empty(Directory.GetFiles(Path.Combine(image.RootDirectory, "var/cache/apt/archives"), "*.deb"));
        Assert.NotEmpty(Directory.GetFiles(image.Site.Map("/var/cache/xcatimg/apt/debian12-x86_64"), "*.deb"));
    }
}
