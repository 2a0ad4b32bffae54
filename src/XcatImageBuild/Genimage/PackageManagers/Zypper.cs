using System.Globalization;
using System.Text;
using XcatImageBuild.Lists;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// SLES and openSUSE: <c>zypper --root</c>. The pkgdir and otherpkgdir repositories are written as <c>.repo</c> files
/// into the root's <c>/etc/zypp/repos.d</c> (directories holding <c>repodata</c> as file repositories, URLs as they
/// are); downloads are kept in the site's cache (<c>--cache-dir</c>, <c>keeppackages</c>).
/// </summary>
public sealed class Zypper : IPackageManager
{
    public string Name => "zypper";

    public IReadOnlyList<(string Tool, string Package)> RequiredTools { get; } =
        [("zypper", "zypper"), ("rpm", "rpm"), ("mount", "mount")];

    public bool Builds(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        return osvers.StartsWith("sles", StringComparison.Ordinal) || osvers.StartsWith("opensuse", StringComparison.Ordinal)
            || osvers.StartsWith("leap", StringComparison.Ordinal);
    }

    public void Bootstrap(GenimageContext context, PackagePass firstPass) => Install(context, firstPass);

    public void Install(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        WriteRepositories(context, "xcatimg-pkgdir", Dnf.BaseRepositories(context));
        Run(context, pass.Environment, ["install", "--no-recommends", .. pass.Install], pass.Install.Count > 0);
    }

    public void InstallOther(GenimageContext context, PackagePass pass)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pass);
        WriteRepositories(context, "xcatimg-otherpkgs", Dnf.OtherRepositories(context, pass));
        Run(context, pass.Environment, ["install", "--no-recommends", .. pass.Install], pass.Install.Count > 0);
    }

    public void Remove(GenimageContext context, IReadOnlyList<string> packages, IReadOnlyList<string> environment)
    {
        ArgumentNullException.ThrowIfNull(packages);
        Run(context, environment, ["remove", .. packages], packages.Count > 0);
    }

    public void Update(GenimageContext context) => Run(context, [], ["update"], true);

    /// <summary>The zypper command: the root, the site's cache, no questions, no GPG checks of the local repositories.</summary>
    internal static ToolCommand Command(GenimageContext context, string cache, IReadOnlyList<string> environment, IReadOnlyList<string> verb) =>
        context.OnHost(
            "zypper",
            ["--root", context.RootDirectory, "--cache-dir", cache, "--non-interactive", "--no-gpg-checks", .. verb],
            [$"HOME={RpmHost.Home(context)}", .. environment]);

    /// <summary>A <c>.repo</c> file holding every repository, as zypper's <c>addrepo</c> would write them.</summary>
    internal static string RepositoryFile(IReadOnlyList<Repository> repositories)
    {
        var text = new StringBuilder();
        foreach (var repository in repositories)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{repository.Id}]\nname={repository.Id}\nenabled=1\nautorefresh=0\nbaseurl={repository.BaseUrl}\ntype=rpm-md\ngpgcheck=0\nkeeppackages=1\n\n");
        }

        return text.ToString();
    }

    private static void WriteRepositories(GenimageContext context, string file, IReadOnlyList<Repository> repositories)
    {
        var directory = Path.Combine(context.RootDirectory, "etc/zypp/repos.d");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, file + ".repo"), RepositoryFile([.. repositories.Select(r => r with { Id = $"{file}-{r.Id}" })]));
    }

    private static void Run(GenimageContext context, IReadOnlyList<string> environment, IReadOnlyList<string> verb, bool needed)
    {
        if (!needed)
        {
            return;
        }

        var cache = context.CacheDirectory("zypper", $"{context.Definition.OsVers}-{context.Definition.Arch}");
        try
        {
            using var mounts = context.MountKernelFileSystems();
            PackageProgress.Run(context.Runner, Command(context, cache, environment, verb), context.Progress);
        }
        finally
        {
            RpmHost.RemoveCacheEcho(context, cache);
        }
    }
}
