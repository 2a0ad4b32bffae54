using XcatImageBuild.Images;
using XcatImageBuild.Lists;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Genimage;

/// <summary>
/// Everything genimage builds from, resolved and checked: the osimage and linuximage columns genimage reads
/// (xcat-spec §3.1), xCAT's defaults for the unset ones (§3.3 step 1), the parsed package lists and the table updates
/// the command line asks for.
/// </summary>
public sealed class GenimageDefinition
{
    /// <summary>xCAT's default drivers added to the initrd on x86_64 (xcat-spec §3.3 step 1).</summary>
    public static readonly IReadOnlyList<string> DefaultNetDrivers = ["tg3", "bnx2", "bnx2x", "e1000", "e1000e", "igb", "mlx_en", "virtio_net", "be2net"];

    private GenimageDefinition()
    {
    }

    public required string Name { get; init; }

    public required string OsVers { get; init; }

    public required string Arch { get; init; }

    public required string Profile { get; init; }

    /// <summary><c>netboot</c> or <c>statelite</c>.</summary>
    public required string ProvMethod { get; init; }

    /// <summary>osimage.environvar as <c>K=V</c> settings; they reach package list includes and every tool genimage runs.</summary>
    public required IReadOnlyDictionary<string, string> Environment { get; init; }

    /// <summary>linuximage.pkglist as written (logical paths, comma-separated).</summary>
    public required string PkgListValue { get; init; }

    public required PackageList PkgList { get; init; }

    /// <summary>linuximage.pkgdir, or xCAT's default <c>/install/&lt;osver&gt;/&lt;arch&gt;</c>.</summary>
    public required string PkgDirValue { get; init; }

    public string? OtherPkgListValue { get; init; }

    public PackageList? OtherPkgList { get; init; }

    /// <summary>linuximage.otherpkgdir, or xCAT's default <c>/install/post/otherpkgs/&lt;osver&gt;/&lt;arch&gt;</c>.</summary>
    public required string OtherPkgDirValue { get; init; }

    public string? PostinstallValue { get; init; }

    public required IReadOnlyList<PostinstallScript> Postinstall { get; init; }

    /// <summary>The logical root image directory; the tree itself is its <c>rootimg/</c>.</summary>
    public required string RootImageDirectory { get; init; }

    /// <summary>The kernel version to use, or null to take the newest one installed in the image.</summary>
    public string? KernelVersion { get; init; }

    /// <summary>The drivers for the initrd: linuximage.netdrivers (or <c>-n</c>) followed by xCAT's defaults.</summary>
    public required IReadOnlyList<string> NetDrivers { get; init; }

    public required string Permission { get; init; }

    /// <summary>The linuximage columns the command line changes (xCAT prints "... will update it." for each).</summary>
    public required IReadOnlyDictionary<string, string> CommandLineUpdates { get; init; }

    /// <summary>pkgdir items: comma-separated directories or URLs (a Debian URL may carry its suite and components).</summary>
    public IReadOnlyList<string> PkgDirs => SplitItems(PkgDirValue);

    /// <summary>otherpkgdir items, as <see cref="PkgDirs"/>.</summary>
    public IReadOnlyList<string> OtherPkgDirs => SplitItems(OtherPkgDirValue);

    /// <summary>Whether statelite images also get <c>initrd-statelite.gz</c>.</summary>
    public bool IsStatelite => ProvMethod == "statelite";

    /// <summary>
    /// Reads and checks the image with xCAT's messages, in xCAT's order, and applies the command line's values.
    /// </summary>
    /// <exception cref="XcatException">The image is missing, incomplete, not diskless, or names missing lists or scripts.</exception>
    public static GenimageDefinition Resolve(XcatSite site, string imageName, GenimageOptions options, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var record = OsImageRecord.Load(site.Database, imageName);
        if (record.LinuxImage is null)
        {
            throw new XcatException($"Cannot find {imageName} from the linuximage table.");
        }

        if (record.OsVers is not { } osvers || record.OsArch is not { } arch || record.Profile is not { } profile || record.ProvMethod is not { } provmethod)
        {
            throw new XcatException(
                $"osimage.osvers, osimage.osarch, osimage.profile and osimage.provmethod must be specified for the image {imageName} in the database.");
        }

        if (provmethod is not ("netboot" or "statelite"))
        {
            throw new XcatException($"'{imageName}' cannot be used to build diskless image. Make sure osimage.provmethod is 'netboot'.");
        }

        var pkglist = record.Linux("pkglist")
            ?? throw new XcatException($"A .pkglist file must be specified for image '{imageName}' in the linuximage table.");
        var environment = EnvironmentOf(record.OsImage.GetValueOrDefault("environvar"));
        var includeVariables = new Dictionary<string, string>(options.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            includeVariables[name] = value;
        }

        var parsedPkgList = PackageList.Load(pkglist, site.Map, includeVariables, "pkglist");
        var otherpkglist = record.Linux("otherpkglist");
        var parsedOther = otherpkglist is null ? null : PackageList.Load(otherpkglist, site.Map, includeVariables, "otherpkglist");
        var postinstallValue = record.Linux("postinstall");
        var postinstall = PostinstallScript.ParseAll(postinstallValue);
        foreach (var script in postinstall)
        {
            if (!File.Exists(site.Map(script.Script)))
            {
                throw new XcatException($"The postinstall_filename specified '{script.Script}' does not exist!");
            }
        }

        var updates = new Dictionary<string, string>(StringComparer.Ordinal);
        var kernelVersion = FromCommandLine("kernelver", options.KernelVersion, record, updates, progress);
        var netDrivers = FromCommandLine("netdrivers", options.NetDrivers, record, updates, progress);
        var installDir = site.InstallDir.TrimEnd('/');
        return new GenimageDefinition
        {
            Name = imageName,
            OsVers = osvers,
            Arch = arch,
            Profile = profile,
            ProvMethod = provmethod,
            Environment = environment,
            PkgListValue = pkglist,
            PkgList = parsedPkgList,
            PkgDirValue = record.Linux("pkgdir") ?? $"{installDir}/{osvers}/{arch}",
            OtherPkgListValue = otherpkglist,
            OtherPkgList = parsedOther,
            OtherPkgDirValue = record.Linux("otherpkgdir") ?? $"{installDir}/post/otherpkgs/{osvers}/{arch}",
            PostinstallValue = postinstallValue,
            Postinstall = postinstall,
            RootImageDirectory = LogicalPath.Normalize(record.RootImageDirectory(site)),
            KernelVersion = kernelVersion,
            NetDrivers = [.. SplitItems(netDrivers ?? string.Empty).Concat(arch == "x86_64" ? DefaultNetDrivers : []).Distinct(StringComparer.Ordinal)],
            Permission = record.Linux("permission") ?? "755",
            CommandLineUpdates = updates,
        };
    }

    // xCAT prints one line per column the command line changes, and saves the new value after the build (§3.1).
    private static string? FromCommandLine(
        string column, string? commandLine, OsImageRecord record, Dictionary<string, string> updates, IProgressSink progress)
    {
        var stored = record.Linux(column);
        if (string.IsNullOrEmpty(commandLine))
        {
            return stored;
        }

        if (commandLine != stored)
        {
            progress.Info($"The {column} is different from the value in linuximage table, will update it.");
            updates[column] = commandLine;
        }

        return commandLine;
    }

    private static Dictionary<string, string> EnvironmentOf(string? environvar)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in SplitItems(environvar ?? string.Empty))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                settings[item[..equals]] = item[(equals + 1)..];
            }
        }

        return settings;
    }

    private static string[] SplitItems(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
