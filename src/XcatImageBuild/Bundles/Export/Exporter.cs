using System.Text.RegularExpressions;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;
using XcatImageBuild.Nodes;
using XcatImageBuild.Progress;
using XcatImageBuild.Signing;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Export;

/// <summary>
/// <c>imgexport</c>: turns an osimage and its files into an xCAT bundle, <c>&lt;image&gt;.tgz</c> (xcat-spec §1.1–1.4).
/// Beyond xCAT, the bundle carries <c>./&lt;image&gt;/SHA256SUMS</c> (signed in <c>SHA256SUMS.minisig</c> with
/// <c>--sign</c>) and the image's SBOM, is byte-identical for the same input under
/// <c>SOURCE_DATE_EPOCH</c>, appears only when complete, and refuses two files that would share a name.
/// </summary>
public sealed partial class Exporter
{
    private const string Stage = "imgexport";

    private readonly XcatSite _site;
    private readonly IProgressSink _progress;
    private readonly TimeProvider _time;
    private readonly List<string> _skipped = [];

    /// <param name="site">The site whose tables and files are exported.</param>
    /// <param name="progress">Receives xCAT's data lines (stdout) and progress.</param>
    /// <param name="time">The clock for member times when <see cref="ExportOptions.SourceDateEpoch"/> is not set.</param>
    public Exporter(XcatSite site, IProgressSink progress, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _progress = progress;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Exports the image.</summary>
    /// <returns>The bundle written and what was skipped on the way (the bundle is written all the same, as xCAT does).</returns>
    /// <exception cref="XcatException">
    /// The image cannot be exported; nothing was written. The message has one line per problem, the skips found
    /// before the export stopped first.
    /// </exception>
    public ExportResult Run(ExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _skipped.Clear();
        try
        {
            return Export(options);
        }
        catch (XcatException e) when (_skipped.Count > 0)
        {
            throw new XcatException(string.Join(Environment.NewLine, [.. _skipped, e.Message]), e.ExitCode, e.Hint, e);
        }
    }

    private ExportResult Export(ExportOptions options)
    {
        _progress.Info($"Exporting {options.ImageName} to {options.RemoteHost ?? options.WorkingDirectory}...");
        if (options.RemoteHost is not null)
        {
            throw new XcatException(
                $"Exporting to a remote host ({options.RemoteHost}) is not supported.",
                1,
                "Export locally, then copy the bundle with scp.");
        }

        // The name becomes the bundle's top directory and file name: one that could climb or hide a line is refused,
        // so the bundle lands only as the named file in the working directory.
        if (options.ImageName.Length > 0 && OsImageFields.NameProblem(options.ImageName) is { } badName)
        {
            throw new XcatException($"The image name '{OsImageFields.Escape(options.ImageName)}' {badName}, so it cannot name a bundle.");
        }

        // A key that cannot sign is found before any work is done.
        var signingKey = options.SigningKey is null ? null : MinisignSecretKey.ReadFile(options.SigningKey);
        var image = LoadImage(options.ImageName);
        var manifest = DescribeTables(image);
        SelectImageFiles(image, manifest);
        AddExtras(options.Extras, manifest);
        if (options.PostscriptsNode is not null)
        {
            AddPostscripts(options.PostscriptsNode, manifest);
        }

        var bundleDirectory = WhitespaceRun().Replace(options.ImageName, "_");
        var bundleName = BundleName(options.Destination, bundleDirectory);
        using var staging = ExportStaging.Create(_site, options.WorkingDirectory, options.Verbose ? _progress : null);
        if (image.ProvMethod == "statelite")
        {
            PackRootImageTree(image, manifest, staging, options.SourceDateEpoch);
            WriteLiteFile(image, manifest, staging);
        }

        var members = PlanMembers(image, manifest, staging);
        _progress.Info($"Inside {staging.Directory}.");
        _progress.Info($"Compressing {bundleDirectory} bundle.  Please be patient.");
        var time = options.SourceDateEpoch is { } epoch
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : _time.GetUtcNow();
        var signer = signingKey is null ? null : new BundleSigner(signingKey, image.Name, time);
        var bundle = WriteBundle(Path.Combine(options.WorkingDirectory, bundleName), bundleDirectory, manifest, members, time, signer);
        _progress.Info("Done!");
        return new ExportResult(bundle, [.. _skipped]);
    }

    // get_image_info (xcat-spec §1.2): every missing field is reported, then the export stops.
    private OsImageRecord LoadImage(string name)
    {
        var image = OsImageRecord.Load(_site.Database, name);
        var problems = new List<string>();
        foreach (var field in new[] { "provmethod", "profile", "osvers", "osarch" })
        {
            if (!image.OsImage.ContainsKey(field))
            {
                problems.Add($"The '{field}' field is not set for '{name}' in the osimage table.");
            }
        }

        var provMethod = image.ProvMethod ?? string.Empty;
        if (!ExportableProvMethod().IsMatch(provMethod))
        {
            // "provemethod" is xCAT's spelling.
            problems.Add($"Exporting images with 'provemethod' {provMethod} is not supported. Hint: install, netboot, statelite, or raw");
        }

        if (provMethod.Contains("sysclone", StringComparison.Ordinal) && !(image.OsArch ?? string.Empty).Contains("s390x", StringComparison.Ordinal))
        {
            problems.Add($"Exporting images with 'provemethod' {provMethod} is not supported for osarch '{image.OsArch}'");
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        return image.LinuxImage is null
            ? throw new XcatException($"Cannot find image '{name}' from the linuximage table.")
            : image;
    }

    private static ImageManifest DescribeTables(OsImageRecord image)
    {
        var manifest = new ImageManifest();
        foreach (var column in XcatSchema.OsImage.Columns.Where(image.OsImage.ContainsKey))
        {
            manifest.OsImage[column] = image.OsImage[column];
        }

        foreach (var column in XcatSchema.LinuxImage.Columns.Where(image.LinuxImage!.ContainsKey))
        {
            manifest.LinuxImage[column] = image.LinuxImage[column];
        }

        if (image.OsImage.TryGetValue("kitcomponents", out var components))
        {
            // This product keeps no kit tables, so no kit component can be resolved: xCAT's answer when the
            // kitcomponent table lacks the row (xcat-spec §1.2 step 5).
            var first = components.Split(',', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? components;
            throw new XcatException($"Cannot find kitname of '{first}' from the kitcomponent table.");
        }

        return manifest;
    }

    // get_extra (xcat-spec §1.4 step 6): "src[:dir]"; a missing src is reported and ignored.
    private void AddExtras(IReadOnlyList<string> extras, ImageManifest manifest)
    {
        foreach (var extra in extras)
        {
            var parts = extra.Split(':');
            var src = parts[0];
            var dest = parts.Length > 1 ? parts[1] : string.Empty;
            if (!src.StartsWith('/') || !(File.Exists(_site.Map(src)) || Directory.Exists(_site.Map(src))))
            {
                Skip($"Can not find Extra file {src}.  Argument will be ignored");
                continue;
            }

            if (dest.Length == 0)
            {
                dest = Directory.Exists(_site.Map(src)) ? src : LogicalPath.DirectoryOf(LogicalPath.Normalize(src));
            }

            manifest.Extras.Add(new ManifestExtra(src, dest));
        }
    }

    // get_postscripts (xcat-spec §1.4 step 9): the first node's lists, after the xcatdefaults lists.
    private void AddPostscripts(string noderange, ImageManifest manifest)
    {
        var (defaults, node) = _site.Database.Read(session =>
        {
            var nodes = NodeRange.Expand(session, noderange).Nodes;
            if (nodes.Count == 0)
            {
                throw new XcatException($"Unable to get postscripts, {noderange} is not a valide node.");
            }

            return (NodePostscripts.Defaults(session), NodePostscripts.Resolve(session, nodes[0]));
        });
        manifest.Postscripts = JoinLists(defaults.Postscripts, node.Postscripts);
        manifest.Postbootscripts = JoinLists(defaults.Postbootscripts, node.Postbootscripts);
    }

    private static string? JoinLists(string? first, string? second) =>
        first is null ? second : second is null ? first : $"{first},{second}";

    // fileparse($dest): only the name counts; a trailing slash or nothing gives <image>.tgz (xcat-spec §1.4 step 8).
    private static string BundleName(string? destination, string imageDirectory)
    {
        var name = destination is null ? string.Empty : destination[(destination.LastIndexOf('/') + 1)..];
        if (name.Length == 0)
        {
            return imageDirectory + ".tgz";
        }

        return name is "." or ".."
            ? throw new XcatException($"The destination '{OsImageFields.Escape(destination!)}' names a directory, not a bundle file.")
            : name;
    }

    private void Skip(string message) => _skipped.Add(message);

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRun();

    [GeneratedRegex("install|netboot|statelite|raw|sysclone")]
    private static partial Regex ExportableProvMethod();
}
