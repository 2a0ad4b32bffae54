using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Bundles.Manifest;
namespace XcatImageBuild.Tests.Bundles;

public sealed class ImportProfileChangeTests
{
    [Fact]
    public void A_list_whose_name_lacks_the_old_profile_gets_the_new_profile_in_front_and_moves_out_of_the_shipped_tree()
    {
        // Given a sles image whose pkglist is a shipped file not named after the profile
        var manifest = new ImageManifest();
        manifest.OsImage["imagename"] = "sles15.4-x86_64-netboot-compute";
        manifest.OsImage["profile"] = "compute";
        manifest.OsImage["provmethod"] = "netboot";
        manifest.OsImage["osvers"] = "sles15.4";
        manifest.OsImage["osarch"] = "x86_64";
        manifest.LinuxImage["imagename"] = "sles15.4-x86_64-netboot-compute";
        manifest.LinuxImage["pkglist"] = "/opt/xcat/share/xcat/netboot/sles/x.pkglist";
        manifest.LinuxImage["otherpkglist"] = "/install/lists/base.compute.otherpkgs.pkglist";
        manifest.Kernel = "/install/netboot/sles15.4/x86_64/compute/kernel";
        var image = new ImportImage("img", manifest, new Dictionary<string, string> { ["/opt/xcat/share/xcat/netboot/sles/x.pkglist"] = "img/x.pkglist" });

        // When the profile changes to compute_new (no rootimgdir set)
        ImportProfileChange.Apply(image, "compute_new", "/install");

        // Then xCAT's rules apply: prefix or first-occurrence replacement, custom tree for shipped lists, a new
        // name, unchanged top-level paths without rootimgdir, and the bundle member follows the renamed path
        Assert.Equal("/install/custom/netboot/sles/compute_new.x.pkglist", manifest.LinuxImage["pkglist"]);
        Assert.Equal("/install/lists/base.compute_new.otherpkgs.pkglist", manifest.LinuxImage["otherpkglist"]);
        Assert.Equal("sles15.4-x86_64-netboot-compute_new", manifest.ImageName);
        Assert.Equal("sles15.4-x86_64-netboot-compute_new", manifest.LinuxImage["imagename"]);
        Assert.Equal("/install/netboot/sles15.4/x86_64/compute/kernel", manifest.Kernel);
        Assert.Equal("img/x.pkglist", image.SourceOf("/install/custom/netboot/sles/compute_new.x.pkglist"));
    }
}
