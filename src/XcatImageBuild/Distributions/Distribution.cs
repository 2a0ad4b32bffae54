namespace XcatImageBuild.Distributions;

/// <summary>
/// What xCAT knows about a distribution from its osvers alone: the family, xCAT's platform directory under
/// <c>share/xcat/{install,netboot}</c> and <c>custom/{install,netboot}</c>, the package manager genimage drives,
/// Debian's and Ubuntu's codenames, the names its media give it, and the shipped files that serve it.
/// <see cref="All"/> is the one table; every stage that asks "which distribution is this osvers" asks
/// <see cref="Of"/>.
/// </summary>
/// <remarks>
/// A row is found the way xCAT finds a platform directory: osvers loses trailing characters until it names one
/// (<c>rhels8.5.0</c> → <c>rh</c>, <c>sles15.4</c> → <c>sles</c>; xcat-spec §2.2, §5). Where xCAT ships a directory as a
/// link to another (<c>sle</c> and <c>centos-stream</c>, made by xCAT-server.spec) or maps a name by rule
/// (<c>leap15*</c> → <c>sles</c>, SvrUtils.pm), the row names the directory the files are in.
/// </remarks>
public sealed record Distribution
{
    private static readonly IReadOnlyDictionary<string, string> NoCodenames = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The start of the osvers this row is for, which is xCAT's directory name (<c>rh</c>, <c>sle</c>, <c>leap15</c>).</summary>
    public required string Prefix { get; init; }

    /// <summary>The platform directory the row's files are in (<c>rh</c>, <c>sles</c>, <c>debian</c>).</summary>
    public required string Platform { get; init; }

    /// <summary>The family whose installer, media layout and genimage the distribution has.</summary>
    public required DistributionFamily Family { get; init; }

    /// <summary>The package manager genimage builds its images with (<c>dnf</c>, <c>zypper</c>, <c>apt</c>), or null when none is.</summary>
    public string? PackageManager { get; init; }

    /// <summary>
    /// The text imgimport's <c>-f</c> (xCAT's change_profile) recognises the distribution by anywhere in osvers; null
    /// for the distributions change_profile does not know, which get an empty platform there (xcat-spec §1.8).
    /// </summary>
    public string? ProfileChangeMark { get; init; }

    /// <summary>The product names RHEL-family media give in <c>.discinfo</c> or <c>.treeinfo</c> ("Rocky Linux"); the osvers is the prefix and the version.</summary>
    public IReadOnlyList<string> MediaNames { get; init; } = [];

    /// <summary>The suite of each release (<c>12</c> → <c>bookworm</c>), for the bootstrap of Debian and Ubuntu images (xcat-spec §3.4).</summary>
    public IReadOnlyDictionary<string, string> Codenames { get; init; } = NoCodenames;

    /// <summary>The install template shipped for the family (kickstart, AutoYaST, preseed), or null.</summary>
    public string? InstallTemplate => Family switch
    {
        DistributionFamily.RedHat => "kickstart.tmpl",
        DistributionFamily.Suse => "autoyast.tmpl",
        DistributionFamily.Debian => "preseed.tmpl",
        _ => null,
    };

    /// <summary>The set of shipped lists and scripts (the repository's <c>templates/shipped/&lt;set&gt;/</c>) that serves the family, or null.</summary>
    public string? ShippedSet => Family switch
    {
        DistributionFamily.RedHat => "redhat",
        DistributionFamily.Suse => "suse",
        DistributionFamily.Debian => "debian",
        _ => null,
    };

    /// <summary>Whether copycds creates a statelite default image: for the RHEL family and SLES only (xcat-spec §9).</summary>
    public bool HasStatelite => Family is DistributionFamily.RedHat or DistributionFamily.Suse;

    /// <summary>Whether the distribution is Debian or Ubuntu, whose pkgdir names mirrors and whose initrd is built their way.</summary>
    public bool IsDebian => Family == DistributionFamily.Debian;

    /// <summary>The table, one row per directory name xCAT knows, ordered as change_profile tries its marks.</summary>
    public static IReadOnlyList<Distribution> All { get; } =
    [
        RedHat("rh", "rh", "rh"),
        RedHat("centos", "centos", "centos", "CentOS", "CentOS Linux"),
        RedHat("centos-stream", "centos", null, "CentOS Stream"),
        RedHat("alma", "alma", "alma", "Alma", "AlmaLinux"),
        RedHat("rocky", "rocky", "rocky", "Rocky", "Rocky Linux"),
        RedHat("fedora", "fedora", "fedora", "Fedora"),
        RedHat("ol", "ol", null, "Oracle Linux", "Oracle Linux Server"),
        RedHat("SL", "SL", "SL", "Scientific Linux"),
        Suse("sles", "sles", "sles"),
        Suse("sle", "sles", null),
        Suse("suse", "suse", null),
        Suse("leap15", "sles", null),
        new()
        {
            Prefix = "debian",
            Platform = "debian",
            Family = DistributionFamily.Debian,
            PackageManager = "apt",
            Codenames = Releases(("10", "buster"), ("11", "bullseye"), ("12", "bookworm"), ("13", "trixie")),
        },
        new()
        {
            Prefix = "ubuntu",
            Platform = "ubuntu",
            Family = DistributionFamily.Debian,
            PackageManager = "apt",
            ProfileChangeMark = "ubunt",
            Codenames = Releases(("18.04", "bionic"), ("20.04", "focal"), ("22.04", "jammy"), ("24.04", "noble"), ("26.04", "resolute")),
        },
        new() { Prefix = "win", Platform = "windows", Family = DistributionFamily.Windows, ProfileChangeMark = "win" },
        new() { Prefix = "esxi", Platform = "esxi", Family = DistributionFamily.Esx },
        new() { Prefix = "esx", Platform = "esx", Family = DistributionFamily.Esx },
    ];

    /// <summary>The distribution of an osvers, or null when no row's directory name is a start of it.</summary>
    public static Distribution? Of(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        return DirectoryNames(osvers).Select(name => All.FirstOrDefault(d => d.Prefix == name)).FirstOrDefault(d => d is not null);
    }

    /// <summary>
    /// The directory names xCAT tries for an osvers, longest first: osvers, then osvers losing one trailing character at a
    /// time; an osvers containing <c>win</c> starts from <c>windows</c> (imgexport's look_for_file, xcat-spec §1.3).
    /// </summary>
    public static IEnumerable<string> DirectoryNames(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        var name = osvers.Contains("win", StringComparison.Ordinal) ? "windows" : osvers;
        for (var length = name.Length; length > 0; length--)
        {
            yield return name[..length];
        }
    }

    /// <summary>change_profile's platform (xcat-spec §1.8): the first row whose mark osvers contains, else empty.</summary>
    public static string ProfileChangePlatformOf(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        return All.FirstOrDefault(d => d.ProfileChangeMark is { } mark && osvers.Contains(mark, StringComparison.Ordinal))?.Platform ?? string.Empty;
    }

    /// <summary>The RHEL-family distribution whose media call it <paramref name="mediaName"/> ("Rocky Linux"), or null.</summary>
    public static Distribution? NamedOnMedia(string mediaName) =>
        All.FirstOrDefault(d => d.MediaNames.Contains(mediaName, StringComparer.Ordinal));

    /// <summary>The codename of a release of this distribution, ignoring point releases (<c>debian12.5</c> → <c>bookworm</c>), or null.</summary>
    public string? CodenameOf(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        if (!osvers.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        for (var release = osvers[Prefix.Length..]; release.Length > 0; release = release.Contains('.', StringComparison.Ordinal) ? release[..release.LastIndexOf('.')] : string.Empty)
        {
            if (Codenames.TryGetValue(release, out var codename))
            {
                return codename;
            }
        }

        return null;
    }

    private static Distribution RedHat(string prefix, string platform, string? mark, params string[] mediaNames) => new()
    {
        Prefix = prefix,
        Platform = platform,
        Family = DistributionFamily.RedHat,
        PackageManager = "dnf",
        ProfileChangeMark = mark,
        MediaNames = mediaNames,
    };

    private static Distribution Suse(string prefix, string platform, string? mark) => new()
    {
        Prefix = prefix,
        Platform = platform,
        Family = DistributionFamily.Suse,
        PackageManager = "zypper",
        ProfileChangeMark = mark,
    };

    private static Dictionary<string, string> Releases(params (string Release, string Codename)[] releases) =>
        releases.ToDictionary(r => r.Release, r => r.Codename, StringComparer.Ordinal);
}
