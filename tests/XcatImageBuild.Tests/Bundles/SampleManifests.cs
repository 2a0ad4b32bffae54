using XcatImageBuild.Bundles.Manifest;
namespace XcatImageBuild.Tests.Bundles;

/// <summary>Manifests of the shapes xCAT exports, for writer and reader tests.</summary>
internal static class SampleManifests
{
    public const string Netboot = "rhels8.5.0-x86_64-netboot-compute";
    public const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";

    public static ImageManifest NetbootWithExtraAndPostscripts()
    {
        var manifest = new ImageManifest();
        Add(manifest.OsImage, ("imagename", Netboot), ("profile", "compute"), ("imagetype", "linux"), ("provmethod", "netboot"),
            ("osvers", "rhels8.5.0"), ("osarch", "x86_64"));
        Add(manifest.LinuxImage, ("imagename", Netboot), ("pkglist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist"),
            ("rootimgdir", RootImgDir));
        manifest.Kernel = RootImgDir + "/kernel";
        manifest.Ramdisk = RootImgDir + "/initrd-stateless.gz";
        manifest.RootImg = RootImgDir + "/rootimg.cpio.gz";
        manifest.Postscripts = "syslog,remoteshell,syncfiles,mypost";
        manifest.Postbootscripts = "otherpkgs";
        manifest.Extras.Add(new ManifestExtra("/install/postscripts/myscript1", "/install/postscripts"));
        return manifest;
    }

    public static ImageManifest Everything()
    {
        var manifest = NetbootWithExtraAndPostscripts();
        manifest.OsImage["kitcomponents"] = "comp-a,comp-b";
        manifest.OsImage["description"] = "Tom & Jerry's <image> \"quoted\" été";
        manifest.Extras.Add(new ManifestExtra("/install/custom/dir", "/install/custom/dir"));
        manifest.RawImageFiles.AddRange(["/install/raw/a.img", "/install/raw/b.img"]);
        manifest.Media = ImageManifest.MediaRequired;
        manifest.RootImgTree = RootImgDir + "/rootimgtree.gz";
        manifest.LiteFile = RootImgDir + "/litefile.csv";
        manifest.Kits.Add(new ManifestKitEntry("kit-b", [new("kitname", "kit-b"), new("basename", "b"), new("kitdir", "/install/kits/kit-b")]));
        manifest.Kits.Add(new ManifestKitEntry("kit-a", [new("kitname", "kit-a"), new("kitdir", "/install/kits/kit-a"), new("version", "1.0")]));
        manifest.KitRepos.Add(new ManifestKitEntry("repo-a", [new("kitreponame", "repo-a"), new("kitname", "kit-a")]));
        manifest.KitComponents.Add(new ManifestKitEntry("comp-a", [new("kitcompname", "comp-a"), new("kitname", "kit-a")]));
        manifest.KitComponents.Add(new ManifestKitEntry("comp-b", [new("kitcompname", "comp-b"), new("kitname", "kit-a"), new("id", "7")]));
        return manifest;
    }

    public static void Add(OrderedDictionary<string, string> columns, params (string Column, string Value)[] values)
    {
        foreach (var (column, value) in values)
        {
            columns[column] = value;
        }
    }
}
