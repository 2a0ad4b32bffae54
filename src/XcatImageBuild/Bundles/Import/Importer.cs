using XcatImageBuild.Bundles.Format;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// <c>imgimport</c>: brings a bundle (xCAT's, ours, or the older design's) into the site, all or nothing
/// (xcat-spec §1.6–1.9). It reads like the manual: unpack the bundle into staging → verify signatures → read each
/// image's manifest →
/// check it → plan every file and row → lock → commit files and rows together through the journal.
/// </summary>
public sealed partial class Importer
{
    private readonly XcatSite _site;
    private readonly IProgressSink _progress;

    /// <param name="site">The site the bundle is imported into.</param>
    /// <param name="progress">Receives xCAT's lines (stdout) and warnings.</param>
    public Importer(XcatSite site, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _progress = progress;
    }

    /// <summary>Imports the bundle, or only checks it with <see cref="ImportOptions.VerifyOnly"/>.</summary>
    /// <exception cref="XcatException">Anything is wrong; every problem found is listed and the site is unchanged.</exception>
    public ImportResult Run(ImportOptions request)
    {
        ArgumentNullException.ThrowIfNull(request);
        RefuseRemoteBundle(request);
        var trustedKeys = LoadTrustedKeys(request);
        var bundle = LocateBundle(request.BundlePath);
        _progress.Info("Unbundling image...");
        using var staging = CreateStaging();
        var unpack = Step("unpack", new FileInfo(bundle).Length, ProgressUnit.Bytes);
        BundleReader.Extract(bundle, !request.NoZip, staging, request.Limits);
        unpack.Complete();

        var check = Step("check", 0, ProgressUnit.Items);
        Refuse(VerifySignatures(staging, trustedKeys, request));
        var images = ReadManifests(staging);
        check.SetTotal(images.Count);
        var policy = new ImportPathPolicy(_site.InstallDir, _site.TftpDir, request.AllowedPrefixes);
        Refuse(Check(staging, images, policy, request));
        check.Complete();

        var planning = Step("plan", 0, ProgressUnit.Items);
        var plan = Plan(staging, images, policy, request);
        Refuse(plan.Problems);
        planning.SetTotal(plan.Files.Count + plan.Rows.Count);
        planning.Complete();
        var names = plan.Images.Select(i => i.Name).ToList();
        if (request.VerifyOnly)
        {
            names.ForEach(name => _progress.Info($"The image {name} in {request.BundlePath} is valid and can be imported."));
            return new ImportResult(names, Committed: false, plan);
        }

        var commit = Step("commit", plan.Files.Count + plan.Rows.Count, ProgressUnit.Items);
        Commit(staging, plan, request);
        commit.Complete();
        foreach (var image in plan.Images)
        {
            ReportStatelite(image, plan.Rows);
            _progress.Info($"Successfully imported the image {image.Name}.");
        }

        return new ImportResult(names, Committed: true, plan);
    }

    // One step of the import as a progress event: imgimport -v prints each as it finishes (unpack: the bundle's bytes;
    // check: the images; plan and commit: the files and rows).
    private ProgressMeter Step(string name, long total, ProgressUnit unit) => new(_progress, "imgimport", name, total, unit);

    private static void RefuseRemoteBundle(ImportOptions request)
    {
        if (request.RemoteHost is not null)
        {
            throw new XcatException(
                $"imgimport -R {request.RemoteHost} is not supported here.",
                1,
                "Copy the bundle to this host (scp) and import the local file.");
        }
    }

    // xCAT tries the name as given, then under the client's working directory; ours is the process's.
    private static string LocateBundle(string bundlePath)
    {
        var full = Path.GetFullPath(bundlePath);
        if (!File.Exists(full))
        {
            throw new XcatException($"Cannot find {bundlePath}");
        }

        return full;
    }

    private StagingArea CreateStaging()
    {
        try
        {
            return StagingArea.Create(_site);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot create a staging directory under {StagingArea.LogicalParent} in the site: {e.Message}", 1, null, e);
        }
    }

    private static void Refuse(IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw XcatException.FromMany([.. problems.Distinct(StringComparer.Ordinal)]);
        }
    }
}
