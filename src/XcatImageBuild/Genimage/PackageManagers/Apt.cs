using XcatImageBuild.Lists;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// Debian and Ubuntu: the root is created with <c>mmdebstrap</c> (minbase plus the first pass) from the mirror and
/// suite of pkgdir, later passes and other packages are installed with <c>apt-get</c> inside the root
/// (xcat-spec §3.4). Downloaded packages are kept in the site's cache and bind-mounted over the root's
/// <c>/var/cache/apt/archives</c>, so the root never holds them and a second build downloads nothing new.
/// </summary>
public sealed class Apt : IPackageManager
{
    private const string ArchivesInRoot = "var/cache/apt/archives";
    private const string OtherPackagesInRoot = "mnt/xcatimg-otherpkgs";

    private static readonly Dictionary<string, string> Codenames = new(StringComparer.Ordinal)
    {
        ["debian10"] = "buster",
        ["debian11"] = "bullseye",
        ["debian12"] = "bookworm",
        ["debian13"] = "trixie",
        ["ubuntu18.04"] = "bionic",
        ["ubuntu20.04"] = "focal",
        ["ubuntu22.04"] = "jammy",
        ["ubuntu24.04"] = "noble",
        ["ubuntu26.04"] = "resolute",
    };

    public string Name => "apt";

    public IReadOnlyList<(string Tool, string Package)> RequiredTools { get; } =
        [("mmdebstrap", "mmdebstrap"), ("chroot", "coreutils"), ("mount", "mount")];

    public bool Builds(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        return osvers.StartsWith("debian", StringComparison.Ordinal) || osvers.StartsWith("ubuntu", StringComparison.Ordinal);
    }

    public void Bootstrap(GenimageContext context, PackagePass firstPass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(firstPass);
        if (File.Exists(Path.Combine(context.RootDirectory, "var/lib/dpkg/status")))
        {
            // An existing root is brought up to date in place, as xCAT's yum-based genimage does.
            context.Progress.Info($"genimage: {context.RootDirectory} exists; installing the first pass into it");
            Install(context, firstPass);
            return;
        }

        var cache = Cache(context);
        try
        {
            PackageProgress.Run(context.Runner, MmdebstrapCommand(context, firstPass, cache), context.Progress);
        }
        finally
        {
            // mmdebstrap unmounts what it mounted itself; the cache bind is ours to undo if it stopped half-way.
            RootMounts.UnmountAllUnder(context.RootDirectory, context.Runner);
        }
    }

    public void Install(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        InsideRoot(context, [], () => AptGet(context, pass.Environment, "install", pass.Install));
    }

    public void InstallOther(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        var binds = new List<(string, string)>();
        var lines = new List<string>();
        foreach (var item in context.Definition.OtherPkgDirs)
        {
            if (IsUrl(item))
            {
                var words = item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                lines.Add(words.Length > 1 ? $"deb [trusted=yes] {item}" : $"deb [trusted=yes] {item} ./");
            }
            else if (Directory.Exists(context.Site.Map(item)))
            {
                // A local directory with a flat Packages index is seen by apt through a bind mount inside the root.
                var mountPoint = $"{OtherPackagesInRoot}/{binds.Count}";
                binds.Add((context.Site.Map(item), mountPoint));
                lines.Add($"deb [trusted=yes] file:/{mountPoint} ./");
            }
        }

        var list = Path.Combine(context.RootDirectory, "etc/apt/sources.list.d/genimage.apt.list");
        Directory.CreateDirectory(Path.GetDirectoryName(list)!);
        File.WriteAllText(list, string.Concat(lines.Select(l => l + "\n")));
        InsideRoot(context, binds, () =>
        {
            AptGet(context, pass.Environment, "update", []);
            AptGet(context, pass.Environment, "install", pass.Install);
        });
        if (binds.Count > 0)
        {
            // The local repositories are not reachable from the booted image; only the URL lines stay.
            File.WriteAllText(list, string.Concat(lines.Where(l => !l.Contains(OtherPackagesInRoot, StringComparison.Ordinal)).Select(l => l + "\n")));
        }
    }

    public void Remove(GenimageContext context, IReadOnlyList<string> packages, IReadOnlyList<string> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(packages);
        InsideRoot(context, [], () => AptGet(context, environment, "purge", packages));
    }

    public void Update(GenimageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        InsideRoot(context, [], () =>
        {
            AptGet(context, [], "update", []);
            AptGet(context, [], "upgrade", []);
        });
    }

    /// <summary>The mmdebstrap command that creates the root from the first pass.</summary>
    internal static ToolCommand MmdebstrapCommand(GenimageContext context, PackagePass firstPass, string cache)
    {
        var sources = SourcesOf(context);
        var arguments = new List<string>
        {
            "--mode=root",
            "--variant=minbase",
            $"--arch={DebianArch(context.Definition.Arch)}",
            "--format=directory",
            "--aptopt=APT::Install-Recommends \"false\"",
            "--dpkgopt=force-confold",
            // The archives live in the site's cache, not in the root; the package lists stay for later apt passes.
            "--skip=download/empty",
            "--skip=cleanup/apt/lists",
            $"--setup-hook=mkdir -p \"$1/{ArchivesInRoot}\" && mount --bind {ShellQuote(cache)} \"$1/{ArchivesInRoot}\"",
            $"--customize-hook=umount \"$1/{ArchivesInRoot}\"",
        };
        if (firstPass.Install.Count > 0)
        {
            arguments.Add("--include=" + string.Join(',', firstPass.Install));
        }

        arguments.Add(sources[0].Suite);
        arguments.Add(context.RootDirectory);
        arguments.AddRange(sources.Select(s => $"deb {s.Mirror} {s.Suite} {s.Components}"));
        return context.OnHost("mmdebstrap", arguments, [.. NoInitrdOnInstall, .. firstPass.Environment]);
    }

    /// <summary>
    /// The apt sources of the root: every pkgdir URL item written as <c>URL SUITE [COMPONENTS]</c>, else the image's
    /// default suite (and its <c>-updates</c>) on the host's Debian mirror, or site.ubuntu_apt_mirror for Ubuntu
    /// (xcat-spec §3.4).
    /// </summary>
    /// <exception cref="XcatException">No suite is given and the OS version has no known codename.</exception>
    internal static IReadOnlyList<(string Mirror, string Suite, string Components)> SourcesOf(GenimageContext context)
    {
        var osvers = context.Definition.OsVers;
        var ubuntu = osvers.StartsWith("ubuntu", StringComparison.Ordinal);
        var defaultComponents = ubuntu ? "main universe" : "main";
        var codename = CodenameOf(osvers);
        var sources = new List<(string, string, string)>();
        foreach (var item in context.Definition.PkgDirs.Where(IsUrl))
        {
            var words = item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            var suite = words.Length > 1 ? words[1] : codename ?? throw UnknownSuite(osvers, item);
            sources.Add((words[0], suite, words.Length > 2 ? string.Join(' ', words[2..]) : defaultComponents));
        }

        if (sources.Count > 0)
        {
            return sources;
        }

        var mirror = ubuntu
            ? context.Site.Setting("ubuntu_apt_mirror") ?? "http://archive.ubuntu.com/ubuntu"
            : HostDebianMirror() ?? "http://deb.debian.org/debian";
        var defaultSuite = codename ?? throw UnknownSuite(osvers, context.Definition.PkgDirValue);
        sources.Add((mirror, defaultSuite, defaultComponents));
        sources.Add((mirror, defaultSuite + "-updates", defaultComponents));
        return sources;
    }

    /// <summary>The codename of an OS version, ignoring point releases (debian12.5 → bookworm), or null.</summary>
    internal static string? CodenameOf(string osvers)
    {
        for (var name = osvers; name.Length > 0; name = name.Contains('.', StringComparison.Ordinal) ? name[..name.LastIndexOf('.')] : string.Empty)
        {
            if (Codenames.TryGetValue(name, out var codename))
            {
                return codename;
            }
        }

        return null;
    }

    /// <summary>The first Debian archive URI in the host's apt sources (one-line or deb822 form), or null.</summary>
    internal static string? HostDebianMirror(string sourcesDirectory = "/etc/apt")
    {
        var files = new List<string>();
        if (File.Exists(Path.Combine(sourcesDirectory, "sources.list")))
        {
            files.Add(Path.Combine(sourcesDirectory, "sources.list"));
        }

        var parts = Path.Combine(sourcesDirectory, "sources.list.d");
        if (Directory.Exists(parts))
        {
            files.AddRange(Directory.GetFiles(parts).Where(f => f.EndsWith(".list", StringComparison.Ordinal) || f.EndsWith(".sources", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        }

        foreach (var file in files)
        {
            foreach (var raw in File.ReadLines(file))
            {
                var line = raw.Trim();
                var words = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                string? uri = null;
                if (line.StartsWith("deb ", StringComparison.Ordinal))
                {
                    uri = words.Skip(1).FirstOrDefault(w => !w.StartsWith('['));
                }
                else if (line.StartsWith("URIs:", StringComparison.Ordinal) && words.Length > 1)
                {
                    uri = words[1];
                }

                // The security archive carries only <suite>-security; the image needs the main archive.
                if (uri is not null && uri.TrimEnd('/').EndsWith("/debian", StringComparison.Ordinal))
                {
                    return uri.TrimEnd('/');
                }
            }
        }

        return null;
    }

    // Debian's kernel hooks would build a host-only initramfs for /boot during every kernel install; genimage builds
    // its own netboot initrd, so that one is only time and space (the hooks honour INITRD=No).
    private static readonly string[] NoInitrdOnInstall = ["INITRD=No"];

    private static void InsideRoot(GenimageContext context, IReadOnlyList<(string, string)> extraBinds, Action work)
    {
        // Services must not start inside an image while packages are configured.
        var policy = Path.Combine(context.RootDirectory, "usr/sbin/policy-rc.d");
        var hadPolicy = File.Exists(policy);
        if (!hadPolicy)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(policy)!);
            File.WriteAllText(policy, "#!/bin/sh\nexit 101\n");
            File.SetUnixFileMode(policy, (UnixFileMode)0b111_101_101);
        }

        try
        {
            using var mounts = context.MountKernelFileSystems([(Cache(context), ArchivesInRoot), .. extraBinds]);
            work();
        }
        finally
        {
            if (!hadPolicy)
            {
                File.Delete(policy);
            }
        }
    }

    private static void AptGet(GenimageContext context, IReadOnlyList<string> environment, string verb, IReadOnlyList<string> packages)
    {
        if (verb is "install" or "purge" && packages.Count == 0)
        {
            return;
        }

        var command = context.InRoot(
            "apt-get",
            ["-y", "-o", "APT::Install-Recommends=false", "-o", "Dpkg::Options::=--force-confold", verb, .. packages],
            ["DEBIAN_FRONTEND=noninteractive", .. NoInitrdOnInstall, .. environment]);
        if (verb == "update")
        {
            context.Runner.Run(command);
        }
        else
        {
            PackageProgress.Run(context.Runner, command, context.Progress);
        }
    }

    private static string Cache(GenimageContext context) =>
        context.CacheDirectory("apt", $"{context.Definition.OsVers}-{context.Definition.Arch}");

    private static XcatException UnknownSuite(string osvers, string pkgdir) => new(
        $"Cannot tell the Debian suite of '{osvers}'. Set linuximage.pkgdir to '<mirror URL> <suite> [components]' (now '{pkgdir}').");

    private static bool IsUrl(string item) =>
        item.StartsWith("http://", StringComparison.Ordinal) || item.StartsWith("https://", StringComparison.Ordinal)
        || item.StartsWith("ftp://", StringComparison.Ordinal) || item.StartsWith("file:", StringComparison.Ordinal);

    private static string DebianArch(string arch) => arch switch
    {
        "x86_64" => "amd64",
        "aarch64" => "arm64",
        "ppc64le" => "ppc64el",
        _ => arch,
    };

    private static string ShellQuote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
