using XcatImageBuild.IntegrationTests.Genimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Media;

/// <summary>copycds against a full disk (a small tmpfs), and genimage of a default image installing from the copied media.</summary>
public sealed class CopycdsIntegrationTests
{
    [Fact]
    public void A_full_disk_during_the_copy_is_a_clear_error_that_leaves_no_partial_copy_and_no_definition()
    {
        // Given a media bigger than the disk the install directory is on
        using var site = new TempSite();
        var tree = Path.Combine(site.Scratch, "media");
        Directory.CreateDirectory(Path.Combine(tree, "BaseOS", "Packages"));
        File.WriteAllText(Path.Combine(tree, ".discinfo"), "1699964843.394738\nRocky Linux 9.3\nx86_64\nALL\n");
        File.WriteAllBytes(Path.Combine(tree, "BaseOS", "Packages", "big.rpm"), new byte[8 << 20]);
        var iso = MediaFixture.BuildIso(tree, Path.Combine(site.Scratch, "rocky.iso"));
        var install = site.Map("/install");
        Directory.CreateDirectory(install);
        var runner = new ProcessRunner();
        runner.Run(new ToolCommand("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", install]));
        try
        {
            // When copycds copies it
            var result = site.Run("copycds", iso);

            // Then it fails naming the full disk, and nothing of the copy or its definitions is left
            Assert.Equal(1, result.ExitCode);
            Assert.Matches("disk was full|No space left on device", result.Error);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFileSystemEntries(install));
            Assert.Single(site.Run("tabdump", "osimage").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Single(site.Run("tabdump", "osdistro").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            runner.Run(new ToolCommand("umount", [install]));
        }
    }

    [Fact]
    public void Genimage_of_the_default_netboot_image_installs_from_the_copied_baseos_and_appstream()
    {
        // Given an EL9 DVD whose BaseOS and AppStream repositories hold the test packages, copied with copycds
        using var site = new TempSite();
        var tree = Path.Combine(site.Scratch, "dvd");
        LocalRpmRepository.Create(Path.Combine(tree, "BaseOS"), Path.Combine(tree, "AppStream"));
        File.WriteAllText(Path.Combine(tree, ".discinfo"), "1699964843.394738\n9.3\nx86_64\nALL\n");
        File.WriteAllText(Path.Combine(tree, ".treeinfo"), "[release]\nname = Rocky Linux\nversion = 9.3\n[tree]\narch = x86_64\n");
        var iso = MediaFixture.BuildIso(tree, Path.Combine(site.Scratch, "rocky9.iso"));
        site.WriteFile("/install/custom/netboot/rocky/compute.rocky9.pkglist", "xcatimg-test-base\nxcatimg-test-tool\n");
        Assert.Equal(0, site.Run("copycds", iso).ExitCode);

        // When genimage builds the default netboot image, with no definition made by hand
        var result = site.Run("genimage", "rocky9.3-x86_64-netboot-compute");

        // Then both packages came from the copied media, and the build stopped at the kernel the test packages lack
        var root = site.Map("/install/netboot/rocky9.3/x86_64/compute/rootimg");
        Assert.Equal(["xcatimg-test-base", "xcatimg-test-tool"], RpmImage.InstalledPackages(root));
        Assert.Contains("Error: genimage kernel failed: couldn't find the kernel file matched", result.Error, StringComparison.Ordinal);
        Assert.Empty(ImageRows.MountsUnder(site));
    }
}
