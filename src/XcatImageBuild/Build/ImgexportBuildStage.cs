using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Genimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// imgexport in a build: the bundle <c>&lt;bundles&gt;/&lt;image&gt;.tgz</c> with the recipe's extras (<c>-e</c>).
/// Reads: every column of the image, every file they name, the archive, kernel and initrds of a diskless image, the
/// litefile rows of a statelite image, and the extras. Leaves: the bundle.
/// </summary>
public sealed class ImgexportBuildStage : BuildStage
{
    private readonly string? _previous;

    /// <param name="previous">
    /// The stage whose output it exports: packimage (netboot) or liteimg (statelite); null for an install image, which
    /// has no root.
    /// </param>
    public ImgexportBuildStage(string? previous)
    {
        _previous = previous;
    }

    public override string Name => "imgexport";

    public override string? Previous => _previous;

    /// <summary>The bundle of an image, on disk.</summary>
    public static string BundlePath(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        return Path.Combine(Path.GetFullPath(settings.BundleDirectory), $"{image.Name}.tgz");
    }

    protected override void AddInputs(StageDigests digests, ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        foreach (var (column, value) in image.OsImage.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            digests.AddValue($"osimage.{column}", value);
        }

        foreach (var (column, value) in image.LinuxImage.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            digests.AddValue($"linuximage.{column}", value);
        }

        AddLists(digests, image, "pkglist", image.Linux("pkglist"));
        AddLists(digests, image, "otherpkglist", image.Linux("otherpkglist"));
        AddLists(digests, image, "exlist", image.Linux("exlist"));
        foreach (var file in Items(image.Linux("template")).Concat(Items(image.Os("synclists"))))
        {
            digests.AddDigest($"file {file}", image.Digest(file));
        }

        foreach (var script in PostinstallScript.ParseAll(image.Linux("postinstall")))
        {
            digests.AddDigest($"postinstall script {script.Script}", image.Digest(script.Script));
        }

        if (image.ProvMethod is "netboot" or "statelite")
        {
            var directory = image.RootImageDirectory;
            var onDisk = image.Map(directory);
            IEnumerable<string> files = Directory.Exists(onDisk)
                ? Directory.EnumerateFiles(onDisk).Select(f => Path.GetFileName(f))
                    .Where(n => n is "kernel" || n.StartsWith("initrd-", StringComparison.Ordinal) || n.StartsWith("rootimg.", StringComparison.Ordinal))
                    .Order(StringComparer.Ordinal)
                : [];
            foreach (var name in files)
            {
                digests.AddDigest($"file {directory}/{name}", image.Digest($"{directory}/{name}"));
            }
        }

        if (image.ProvMethod == "statelite")
        {
            // The bundle carries the litefile rows as litefile.csv.
            digests.AddValue($"litefile rows for {image.Name}", image.LiteFileText());
        }

        foreach (var extra in image.Extras)
        {
            digests.AddDigest($"extra {extra.Source}", image.Digest(extra.Source));
            digests.AddValue($"extra {extra.Source} destination", extra.Destination);
        }

    }

    public override StageDigests Outputs(ImageSnapshot image, BuildSettings settings)
    {
        var bundle = BundlePath(image, settings);
        var digests = new StageDigests();
        digests.AddDigest($"bundle {bundle}", BuildDigest.OfPath(bundle));
        return digests;
    }

    public override void Run(ImageSnapshot image, BuildSettings settings, XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        Directory.CreateDirectory(settings.BundleDirectory);
        var result = new Exporter(site, progress).Run(new ExportOptions
        {
            ImageName = image.Name,
            WorkingDirectory = Path.GetFullPath(settings.BundleDirectory),
            Destination = $"{image.Name}.tgz",
            Extras = [.. image.Extras.Select(e => $"{e.Source}:{e.Destination}")],
            SourceDateEpoch = settings.SourceDateEpoch,
        });
        if (result.AnythingSkipped)
        {
            // The bundle is written all the same (xCAT's way), but it lacks what was skipped: not a success.
            throw XcatException.FromMany([$"imgexport of {image.Name} skipped files:", .. result.Skipped]);
        }
    }
}
