using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;

namespace XcatImageBuild.Bundles.Import;

/// <summary>Checking each image before anything is planned: xCAT's verify_manifest and check_media, and ours.</summary>
public sealed partial class Importer
{
    private static readonly string[] RequiredFields = ["imagename", "provmethod", "profile", "osvers", "osarch"];

    /// <summary>
    /// Every problem of the images as the bundle describes them; also applies <c>-f</c> and moves shipped lists to
    /// the custom tree, so what is planned next is what will be stored.
    /// </summary>
    private List<string> Check(StagingArea staging, List<ImportImage> images, ImportPathPolicy policy, ImportOptions request)
    {
        var problems = new List<string>();
        if (!string.IsNullOrEmpty(request.NewProfile) && OsImageFields.NameProblem(request.NewProfile) is { } badProfile)
        {
            problems.Add($"The new profile '{OsImageFields.Escape(request.NewProfile)}' (-f) {badProfile}.");
        }

        foreach (var image in images)
        {
            var found = problems.Count;
            TrimRequiredFields(image.Manifest);
            VerifyManifest(image, problems);
            CheckNames(image, problems);
            CheckMedia(image, problems);
            VerifyChecksums(staging, image, request.RequireChecksums || request.RequireSignature || request.TrustedKeys.Count > 0, problems);
            if (problems.Count > found)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(request.NewProfile))
            {
                ImportProfileChange.Apply(image, request.NewProfile, _site.InstallDir);
            }

            policy.RedirectShippedLists(image);
            CheckDirectories(image, request, problems);
        }

        RefuseRepeatedNames(images, problems);
        return problems;
    }

    // verify_manifest reads the fields trimmed (xcat-spec §1.7); they are stored as read.
    private static void TrimRequiredFields(ImageManifest manifest)
    {
        foreach (var field in RequiredFields.Where(manifest.OsImage.ContainsKey))
        {
            manifest.OsImage[field] = manifest.OsImage[field].Trim();
        }

        if (manifest.LinuxImage.TryGetValue("imagename", out var name))
        {
            manifest.LinuxImage["imagename"] = name.Trim();
        }
    }

    /// <summary>xCAT's verify_manifest (xcat-spec §1.7), plus the parts of a bundle this importer does not take.</summary>
    private static void VerifyManifest(ImportImage image, List<string> problems)
    {
        var manifest = image.Manifest;
        var missing = RequiredFields.Where(f => string.IsNullOrEmpty(manifest.OsImage.GetValueOrDefault(f))).ToList();
        problems.AddRange(missing.Select(f => $"The '{f}' field is not defined in manifest.xml."));
        if (missing.Count > 0)
        {
            return;
        }

        var provmethod = manifest.ProvMethod!;
        if (!(provmethod.Contains("install", StringComparison.Ordinal) || provmethod.Contains("netboot", StringComparison.Ordinal)
            || provmethod.Contains("statelite", StringComparison.Ordinal) || provmethod.Contains("sysclone", StringComparison.Ordinal)
            || provmethod.Contains("raw", StringComparison.Ordinal)))
        {
            problems.Add($"Importing images with 'provmethod' {OsImageFields.Escape(provmethod)} is not supported. Hint: install, netboot, statelite, sysclone or raw");
            return;
        }

        // xCAT reports a missing template as a missing 'osarch' field; this names the field that is missing.
        var needed = provmethod switch
        {
            "install" => manifest.LinuxImage.ContainsKey("template") ? [] : new[] { "template" },
            "netboot" when manifest.OsArch != "s390x" && !(manifest.OsVers ?? string.Empty).Contains("esx", StringComparison.Ordinal) =>
                new[] { ("ramdisk", manifest.Ramdisk), ("kernel", manifest.Kernel), ("rootimg", manifest.RootImg) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToArray(),
            "statelite" =>
                new[] { ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimgtree", manifest.RootImgTree) }.Where(p => p.Item2 is null).Select(p => p.Item1).ToArray(),
            _ => [],
        };
        problems.AddRange(needed.Select(f => $"The '{f}' field is not defined in manifest.xml."));

        if (manifest.Kits.Count > 0 || manifest.KitRepos.Count > 0 || manifest.KitComponents.Count > 0)
        {
            problems.Add($"The image '{OsImageFields.Escape(image.Name)}' carries kits (kit, kitrepo and kitcomponent rows); importing kits is not supported here.");
        }

        if (manifest.RawImageFiles.Count > 0)
        {
            problems.Add($"The image '{OsImageFields.Escape(image.Name)}' carries s390x raw image files; importing them is not supported here.");
        }
    }

    /// <summary>
    /// The name columns become file names and lines of lsdef output later (nodeset's directories, imgexport's
    /// bundle, lock files), so they must be safe before they are stored.
    /// </summary>
    private static void CheckNames(ImportImage image, List<string> problems)
    {
        foreach (var field in OsImageFields.NameColumns)
        {
            if (image.Manifest.OsImage.GetValueOrDefault(field) is { Length: > 0 } value && OsImageFields.NameProblem(value) is { } problem)
            {
                problems.Add($"The manifest's {field} '{OsImageFields.Escape(value)}' {problem}.");
            }
        }
    }

    /// <summary>check_media: an install image needs its OS media copied (copycds) first.</summary>
    private void CheckMedia(ImportImage image, List<string> problems)
    {
        var manifest = image.Manifest;
        if (manifest.Media == ImageManifest.MediaRequired
            && !Directory.Exists(_site.Map($"{_site.InstallDir.TrimEnd('/')}/{manifest.OsVers}/{manifest.OsArch}")))
        {
            problems.Add($"This image requires that you first copy media for {manifest.OsVers}-{manifest.OsArch}");
        }
    }

    /// <summary>
    /// With a SHA256SUMS in the image directory, every regular file must be listed and match; only its signature
    /// (SHA256SUMS.minisig, which signs the list and so cannot be in it) stands beside it unlisted.
    /// </summary>
    private static void VerifyChecksums(StagingArea staging, ImportImage image, bool required, List<string> problems)
    {
        var prefix = image.Directory.Length == 0 ? string.Empty : image.Directory + "/";
        var listPath = prefix + ChecksumList.FileName;
        if (staging.Find(listPath) is not { Kind: StagingMemberKind.File })
        {
            if (required)
            {
                problems.Add($"The image '{OsImageFields.Escape(image.Name)}' has no checksum list ({listPath}) and --require-checksums is set.");
            }

            return;
        }

        ChecksumList list;
        try
        {
            list = ChecksumList.ReadFile(staging.PathOf(listPath));
        }
        catch (InvalidDataException e)
        {
            problems.Add($"The checksum list {listPath} is malformed: {e.Message}");
            return;
        }

        var files = staging.Members
            .Where(m => m.Kind == StagingMemberKind.File && m.Path.StartsWith(prefix, StringComparison.Ordinal) && m.Path != listPath && m.Path != prefix + ChecksumList.SignatureFileName)
            .ToDictionary(m => m.Path[prefix.Length..], m => m.Sha256!, StringComparer.Ordinal);
        problems.AddRange(list.Verify(files, image.Directory));
    }

    /// <summary>Directories that genimage and packimage will write to must lie where the bundle may write.</summary>
    private void CheckDirectories(ImportImage image, ImportOptions request, List<string> problems)
    {
        foreach (var column in OsImageFields.DirectoryColumns)
        {
            if (image.Manifest.LinuxImage.GetValueOrDefault(column) is { Length: > 0 } value
                && OsImageFields.DirectoryProblem(value, _site.InstallDir, request.AllowedPrefixes) is { } problem)
            {
                problems.Add($"The manifest of image '{OsImageFields.Escape(image.Name)}' sets {column} to '{OsImageFields.Escape(value)}', which {problem}.");
            }
        }
    }

    private static void RefuseRepeatedNames(List<ImportImage> images, List<string> problems)
    {
        problems.AddRange(images.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"The bundle holds the image '{OsImageFields.Escape(g.Key)}' more than once ({string.Join(", ", g.Select(i => i.Directory + "/"))})."));
    }
}
