using System.Globalization;
using System.Text;
using XcatImageBuild.Lists;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// The RHEL family (rhels, rocky, alma, centos, ol, fedora): <c>dnf --installroot</c> with a configuration of its own
/// in which every pkgdir directory holding <c>repodata</c> is a file repository and every URL is used as it is
/// (xcat-spec §3.3 steps 2–4). Downloaded packages are kept in the site's cache (<c>keepcache</c>).
/// </summary>
public sealed class Dnf : IPackageManager
{
    private static readonly string[] Families = ["rhels", "rocky", "alma", "centos", "ol", "fedora"];

    public string Name => "dnf";

    public IReadOnlyList<(string Tool, string Package)> RequiredTools { get; } =
        [("dnf", "dnf"), ("rpm", "rpm"), ("mount", "mount")];

    public bool Builds(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        return Families.Any(f => osvers.StartsWith(f, StringComparison.Ordinal) && osvers.Length > f.Length && char.IsAsciiDigit(osvers[f.Length]));
    }

    public void Bootstrap(GenimageContext context, PackagePass firstPass)
    {
        ArgumentNullException.ThrowIfNull(context);
        // rpm scriptlets of some packages read /etc/fstab; xCAT leaves a dummy one for them (§3.3 step 3).
        var fstab = Path.Combine(context.RootDirectory, "etc/fstab");
        Directory.CreateDirectory(Path.GetDirectoryName(fstab)!);
        if (!File.Exists(fstab))
        {
            File.WriteAllText(fstab, "#Dummy fstab for rpm postscripts to see\n");
        }

        Install(context, firstPass);
    }

    public void Install(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        Run(context, BaseRepositories(context), pass.Environment, ["install", .. pass.Install], pass.Install.Count > 0);
    }

    public void InstallOther(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        Run(context, OtherRepositories(context, pass), pass.Environment, ["install", .. pass.Install], pass.Install.Count > 0);
    }

    public void Remove(GenimageContext context, IReadOnlyList<string> packages, IReadOnlyList<string> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(packages);
        Run(context, BaseRepositories(context), environment, ["remove", .. packages], packages.Count > 0);
    }

    public void Update(GenimageContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var exclude = context.Definition.KernelVersion is null ? Array.Empty<string>() : ["--exclude=kernel*"];
        var repositories = BaseRepositories(context)
            .Concat(context.Definition.OtherPkgList is { } other ? other.Passes.SelectMany(p => OtherRepositories(context, p)) : [])
            .DistinctBy(r => r.Id)
            .ToList();
        Run(context, repositories, [], ["update", .. exclude], true);
    }

    /// <summary>
    /// The dnf command for <paramref name="verb"/>: its own configuration file, the root, the release version from
    /// osvers, and only the given repositories enabled.
    /// </summary>
    internal static ToolCommand Command(GenimageContext context, string configuration, string cache, IReadOnlyList<Repository> repositories, IReadOnlyList<string> environment, IReadOnlyList<string> verb)
    {
        var release = ReleaseVersion(context.Definition.OsVers);
        var arguments = new List<string>
        {
            "-y",
            "-c", configuration,
            $"--installroot={context.RootDirectory}/",
            // Without this dnf puts its cache inside the root.
            $"--setopt=cachedir={cache}",
            $"--releasever={release}",
            "--disablerepo=*",
            "--enablerepo=" + string.Join(',', repositories.Select(r => r.Id)),
            "--nogpgcheck",
        };
        if (!context.Definition.OsVers.StartsWith("fedora", StringComparison.Ordinal))
        {
            arguments.Add($"--setopt=module_platform_id=platform:el{release}");
        }

        arguments.AddRange(verb);
        return context.OnHost("dnf", arguments, [$"HOME={RpmHost.Home(context)}", .. environment]);
    }

    /// <summary>The configuration file: a kept cache in the site, no GPG checks, and one section per repository.</summary>
    internal static string Configuration(string cache, IReadOnlyList<Repository> repositories)
    {
        var text = new StringBuilder()
            .Append("[main]\n")
            .Append(CultureInfo.InvariantCulture, $"cachedir={cache}\n")
            .Append("keepcache=1\ngpgcheck=0\ninstall_weak_deps=False\nreposdir=\nskip_if_unavailable=False\n");
        foreach (var repository in repositories)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[{repository.Id}]\nname={repository.Id}\nbaseurl={repository.BaseUrl}\nenabled=1\ngpgcheck=0\n");
        }

        return text.ToString();
    }

    /// <summary>
    /// The pkgdir repositories: each URL item as it is, and each directory holding <c>repodata</c> at or below a
    /// local item (xcat-spec §3.3 step 2).
    /// </summary>
    /// <exception cref="XcatException">None at all (xCAT's message).</exception>
    internal static IReadOnlyList<Repository> BaseRepositories(GenimageContext context)
    {
        var definition = context.Definition;
        var urls = new List<string>();
        foreach (var item in definition.PkgDirs)
        {
            if (IsUrl(item))
            {
                urls.Add(item);
                continue;
            }

            var directory = context.Site.Map(item);
            if (Directory.Exists(directory))
            {
                urls.AddRange(RepodataDirectories(directory).Select(d => "file://" + d));
            }
        }

        if (urls.Count == 0)
        {
            throw new XcatException(
                $"Need {(definition.PkgDirs.Count > 0 ? definition.PkgDirs[0] : $"/install/{definition.OsVers}/{definition.Arch}")}/ available from a system that has ran copycds on {definition.OsVers} {definition.Arch} or correct web repo");
        }

        return [.. urls.Select((url, i) => new Repository($"{definition.OsVers}-{definition.Arch}-{i.ToString(CultureInfo.InvariantCulture)}", url))];
    }

    /// <summary>
    /// The repositories of one otherpkglist pass: for every <c>dir/pkg</c> group the directory under the local
    /// otherpkgdir (the otherpkgdir itself for plain names), and every URL item (xcat-spec §3.3 step 4).
    /// </summary>
    /// <exception cref="XcatException">More than one local otherpkgdir (xCAT's message).</exception>
    internal static IReadOnlyList<Repository> OtherRepositories(GenimageContext context, PackagePass pass)
    {
        var definition = context.Definition;
        var local = definition.OtherPkgDirs.Where(i => !IsUrl(i)).ToList();
        if (local.Count > 1)
        {
            throw new XcatException("genimage: at most only 1 local dir in otherpkgdir is supported.");
        }

        var urls = definition.OtherPkgDirs.Where(IsUrl).ToList();
        if (local.Count == 1)
        {
            var root = context.Site.Map(local[0]).TrimEnd('/');
            foreach (var directory in pass.ByDirectory.Keys.Order(StringComparer.Ordinal))
            {
                urls.Add("file://" + (directory == "." ? root : $"{root}/{directory.Trim('/')}"));
            }
        }

        return [.. urls.Distinct(StringComparer.Ordinal).Select((url, i) => new Repository($"otherpkgs{i.ToString(CultureInfo.InvariantCulture)}", url))];
    }

    /// <summary>The major release of an OS version: rhels9.2 → 9, rocky8.6 → 8, fedora39 → 39.</summary>
    internal static string ReleaseVersion(string osvers)
    {
        var digits = osvers.SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray();
        return digits.Length == 0 ? throw new XcatException($"Cannot tell the release of '{osvers}'.") : new string(digits);
    }

    private static void Run(GenimageContext context, IReadOnlyList<Repository> repositories, IReadOnlyList<string> environment, IReadOnlyList<string> verb, bool needed)
    {
        if (!needed || repositories.Count == 0)
        {
            return;
        }

        Directory.CreateDirectory(context.WorkDirectory);
        var configuration = Path.Combine(context.WorkDirectory, "dnf.conf");
        var cache = context.CacheDirectory("dnf", $"{context.Definition.OsVers}-{context.Definition.Arch}");
        File.WriteAllText(configuration, Configuration(cache, repositories));
        try
        {
            using var mounts = context.MountKernelFileSystems();
            PackageProgress.Run(context.Runner, Command(context, configuration, cache, repositories, environment, verb), context.Progress);
        }
        finally
        {
            RpmHost.RemoveCacheEcho(context, cache);
        }
    }

    private static IEnumerable<string> RepodataDirectories(string directory)
    {
        if (Directory.Exists(Path.Combine(directory, "repodata")))
        {
            yield return directory;
        }

        foreach (var child in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(child) != "repodata" && Directory.Exists(Path.Combine(child, "repodata")))
            {
                yield return child;
            }
        }
    }

    private static bool IsUrl(string item) =>
        item.StartsWith("http://", StringComparison.Ordinal) || item.StartsWith("https://", StringComparison.Ordinal)
        || item.StartsWith("ftp://", StringComparison.Ordinal);
}
