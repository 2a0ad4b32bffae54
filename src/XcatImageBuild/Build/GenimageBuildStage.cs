using XcatImageBuild.Genimage;
using XcatImageBuild.Genimage.PackageManagers;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// genimage in a build. Reads: the definition's columns, the package lists (includes expanded), the postinstall
/// scripts, the repositories' metadata and the package manager. Leaves: the kernel, the initrds and a finished root.
/// </summary>
public sealed class GenimageBuildStage : BuildStage
{
    private readonly RepositoryProbe _repositories;
    private readonly IProcessRunner _tools;

    public GenimageBuildStage(RepositoryProbe repositories, IProcessRunner tools)
    {
        ArgumentNullException.ThrowIfNull(repositories);
        ArgumentNullException.ThrowIfNull(tools);
        _repositories = repositories;
        _tools = tools;
    }

    public override string Name => "genimage";

    protected override void AddInputs(StageDigests digests, ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        AddPackageInputs(digests, image);
        AddColumns(digests, "linuximage", image.LinuxImage, "postinstall", "rootimgdir", "kernelver", "netdrivers", "permission");
        foreach (var script in PostinstallScript.ParseAll(image.Linux("postinstall")))
        {
            digests.AddDigest($"postinstall script {script.Script}", image.Digest(script.Script));
        }
    }

    /// <summary>
    /// The key of the root as it stands after the package passes: everything those passes read (the columns and lists
    /// of packages, the repositories' metadata, the package manager) and SOURCE_DATE_EPOCH. genimage keeps that root
    /// under this key and starts the next build with the same key from it.
    /// </summary>
    public string PackagesKey(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        var digests = new StageDigests();
        AddPackageInputs(digests, image);
        digests.AddValue("SOURCE_DATE_EPOCH", settings.SourceDateEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return BuildDigest.Combine(digests.Values);
    }

    private void AddPackageInputs(StageDigests digests, ImageSnapshot image)
    {
        AddColumns(digests, "osimage", image.OsImage, "osvers", "osarch", "profile", "provmethod", "environvar");
        AddColumns(digests, "linuximage", image.LinuxImage, "pkglist", "pkgdir", "otherpkglist", "otherpkgdir");
        AddLists(digests, image, "pkglist", image.Linux("pkglist"));
        AddLists(digests, image, "otherpkglist", image.Linux("otherpkglist"));
        foreach (var (name, digest) in _repositories.Digests(image))
        {
            digests.AddDigest(name, digest);
        }

        if (image.Os("osvers") is { } osvers && PackageManagerCatalog.All.FirstOrDefault(m => m.Builds(osvers)) is { } packageManager)
        {
            foreach (var (tool, _) in packageManager.RequiredTools)
            {
                var path = _tools.FindExecutable(tool);
                digests.AddDigest($"tool {tool}", path is null ? null : BuildDigest.OfPath(path));
            }
        }
    }

    public override StageDigests Outputs(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        var directory = image.RootImageDirectory;
        var digests = new StageDigests();
        var root = image.Map($"{directory}/rootimg");
        digests.AddValue(
            $"root {directory}/rootimg",
            !Directory.Exists(root) ? null : File.Exists(image.Map($"{directory}/{GenimageStage.IncompleteMarker}")) ? "unfinished" : "finished");
        digests.AddDigest($"kernel {directory}/kernel", image.Digest($"{directory}/kernel"));
        digests.AddDigest($"initrd {directory}/initrd-stateless.gz", image.Digest($"{directory}/initrd-stateless.gz"));
        digests.AddDigest($"sbom {directory}/image.spdx.json", image.Digest($"{directory}/image.spdx.json"));
        if (image.ProvMethod == "statelite")
        {
            digests.AddDigest($"initrd {directory}/initrd-statelite.gz", image.Digest($"{directory}/initrd-statelite.gz"));
        }

        return digests;
    }

    public override void Run(ImageSnapshot image, BuildSettings settings, XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        new GenimageStage(site, runner, progress).Run(new GenimageOptions(image.Name)
        {
            SourceDateEpoch = settings.SourceDateEpoch,
            PackagesKey = PackagesKey(image, settings),
        });
    }
}
