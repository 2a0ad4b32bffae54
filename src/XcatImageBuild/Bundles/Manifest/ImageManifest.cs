namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// The content of a bundle's <c>manifest.xml</c> (xcat-spec §1.5): the image's osimage and linuximage columns, the
/// logical paths of the files that travel with it, and the kit rows it depends on. Paths are the absolute paths
/// on the exporting management node; import restores files to exactly those paths.
/// </summary>
public sealed class ImageManifest
{
    /// <summary>The manifest's file name inside <c>./&lt;image&gt;/</c> of a bundle.</summary>
    public const string FileName = "manifest.xml";

    /// <summary>The <c>media</c> value of install images: import requires copycds to have run for the OS.</summary>
    public const string MediaRequired = "required";

    /// <summary>The non-empty osimage columns in table order, <c>imagename</c> included.</summary>
    public OrderedDictionary<string, string> OsImage { get; } = new(StringComparer.Ordinal);

    /// <summary>The non-empty linuximage columns in table order, <c>imagename</c> included.</summary>
    public OrderedDictionary<string, string> LinuxImage { get; } = new(StringComparer.Ordinal);

    /// <summary>The kernel's path (netboot, statelite).</summary>
    public string? Kernel { get; set; }

    /// <summary>The initrd's path: <c>initrd-stateless.gz</c> (netboot) or <c>initrd-statelite.gz</c> (statelite).</summary>
    public string? Ramdisk { get; set; }

    /// <summary>The compressed root image's path (netboot), e.g. <c>&lt;rootimgdir&gt;/rootimg.cpio.gz</c>.</summary>
    public string? RootImg { get; set; }

    /// <summary>Where the statelite root tree is unpacked: <c>&lt;rootimgdir&gt;/rootimgtree.gz</c>.</summary>
    public string? RootImgTree { get; set; }

    /// <summary>The statelite litefile rows' path: <c>&lt;rootimgdir&gt;/litefile.csv</c>.</summary>
    public string? LiteFile { get; set; }

    /// <summary><see cref="MediaRequired"/> for install images, else null.</summary>
    public string? Media { get; set; }

    /// <summary>The postscripts names exported with <c>-p</c> (xcatdefaults first), comma-separated.</summary>
    public string? Postscripts { get; set; }

    /// <summary>The postbootscripts names exported with <c>-p</c> (xcatdefaults first), comma-separated.</summary>
    public string? Postbootscripts { get; set; }

    /// <summary>The <c>-e</c> extras, in command-line order.</summary>
    public List<ManifestExtra> Extras { get; } = [];

    /// <summary>The raw image files (<c>rawimagefiles/files</c>, s390x).</summary>
    public List<string> RawImageFiles { get; } = [];

    /// <summary>The kit table rows (<c>&lt;kit&gt;</c>).</summary>
    public List<ManifestKitEntry> Kits { get; } = [];

    /// <summary>The kitrepo table rows (<c>&lt;kitrepo&gt;</c>).</summary>
    public List<ManifestKitEntry> KitRepos { get; } = [];

    /// <summary>The kitcomponent table rows (<c>&lt;kitcomp&gt;</c>).</summary>
    public List<ManifestKitEntry> KitComponents { get; } = [];

    /// <summary>osimage.imagename, or null when the manifest has none.</summary>
    public string? ImageName => OsImage.GetValueOrDefault("imagename");

    /// <summary>osimage.provmethod, or null.</summary>
    public string? ProvMethod => OsImage.GetValueOrDefault("provmethod");

    /// <summary>osimage.profile, or null.</summary>
    public string? Profile => OsImage.GetValueOrDefault("profile");

    /// <summary>osimage.osvers, or null.</summary>
    public string? OsVers => OsImage.GetValueOrDefault("osvers");

    /// <summary>osimage.osarch, or null.</summary>
    public string? OsArch => OsImage.GetValueOrDefault("osarch");
}
