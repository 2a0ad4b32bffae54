using XcatImageBuild.Processes;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// The built kernel and initrd boot the root image in qemu: the image is packed with the real find, cpio and gzip,
/// appended to the initrd as one more cpio archive, and the image's own check script reports on the serial console.
/// </summary>
[Collection(GenimageTestGroup.Name)]
public sealed class BootTests(DebianImageFixture image)
{
    [Fact]
    public void The_initrd_boots_a_root_image_appended_to_it_into_a_tmpfs()
    {
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);
        var runner = new ProcessRunner();
        var work = Directory.CreateTempSubdirectory("xcatimg-boot-").FullName;
        try
        {
            // Given the root packed without what a boot does not need, appended to the initrd as /rootimg.cpio.gz
            var appended = Path.Combine(work, "appended");
            Directory.CreateDirectory(appended);
            runner.Run(new ToolCommand("sh", ["-c",
                "cd \"$1\" && find . -xdev ! -path './usr/lib/modules/*' ! -path './boot/*' ! -path './usr/share/doc/*' ! -path './usr/share/locale/*' ! -path './usr/share/man/*' "
                + "| cpio -o -H newc --quiet | gzip -1 > \"$2/rootimg.cpio.gz\" && cd \"$2\" && echo rootimg.cpio.gz | cpio -o -H newc --quiet > \"$3/appended.cpio\"",
                "sh", image.RootDirectory, appended, work]));
            var bootImage = Path.Combine(work, "initrd-with-root");
            using (var output = File.Create(bootImage))
            {
                foreach (var part in new[] { Path.Combine(image.ImageDirectory, "initrd-stateless.gz"), Path.Combine(work, "appended.cpio") })
                {
                    using var input = File.OpenRead(part);
                    input.CopyTo(output);
                }
            }

            // When qemu boots the kernel with it and the image's check script as init
            var serial = Path.Combine(work, "serial.log");
            var accelerator = File.Exists("/dev/kvm") ? "kvm:tcg" : "tcg";
            runner.RunUnchecked(new ToolCommand("timeout", ["300", "qemu-system-x86_64",
                "-machine", $"q35,accel={accelerator}", "-m", "1536", "-display", "none", "-no-reboot", "-monitor", "none",
                "-serial", $"file:{serial}", "-kernel", Path.Combine(image.ImageDirectory, "kernel"), "-initrd", bootImage,
                "-append", "console=ttyS0 panic=-1 init=/usr/local/sbin/xcatimg-boot-check"]));

            // Then the image booted from a tmpfs and its postinstall marker is there
            var log = File.Exists(serial) ? File.ReadAllText(serial) : string.Empty;
            Assert.True(
                log.Contains("XCATIMG-BOOTED args: debian12 x86_64 compute marker-argument root=tmpfs", StringComparison.Ordinal),
                "serial console:\n" + string.Join('\n', log.Split('\n').TakeLast(40)));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
