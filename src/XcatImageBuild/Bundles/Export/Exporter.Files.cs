using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Distributions;
using XcatImageBuild.Images;

namespace XcatImageBuild.Bundles.Export;

/// <summary>Which files an image exports (get_files and look_for_file, xcat-spec §1.3).</summary>
public sealed partial class Exporter
{
    private const string XcatShare = "/opt/xcat/share/xcat";

    // SvrUtils::searchcompressedrootimg's order when rootimgdir is set; zstd archives (which xCAT does not make)
    // come last.
    private static readonly string[] RootImgNames =
        ["rootimg.cpio.gz", "rootimg.cpio.xz", "rootimg.tar.gz", "rootimg.tar.xz", "rootimg.sfs", "rootimg.gz", "rootimg.cpio.zst", "rootimg.tar.zst"];

    // get_files' own order when rootimgdir is empty (it differs from the one above in xCAT too).
    private static readonly string[] RootImgSearchNames =
        ["rootimg.cpio.xz", "rootimg.cpio.gz", "rootimg.tar.xz", "rootimg.tar.gz", "rootimg.gz", "rootimg.cpio.zst", "rootimg.tar.zst"];

    private void SelectImageFiles(OsImageRecord image, ImageManifest manifest)
    {
        var problems = new List<string>();
        var name = image.Name;
        var provMethod = image.ProvMethod!;
        var installRoot = _site.InstallDir;
        if (provMethod.Contains("install", StringComparison.Ordinal))
        {
            if (!manifest.LinuxImage.ContainsKey("template"))
            {
                var template = LookForFile("tmpl", image, $"{installRoot}/custom/install", $"{XcatShare}/install");
                if (template is null)
                {
                    problems.Add($"Couldn't find install template for {name}");
                }
                else
                {
                    _progress.Info(template);
                    manifest.LinuxImage["template"] = template;
                }
            }

            manifest.Media = ImageManifest.MediaRequired;
        }

        // ESX images have no netboot or statelite files.
        if (!image.OsVers!.Contains("esx", StringComparison.Ordinal))
        {
            if (provMethod.Contains("netboot", StringComparison.Ordinal))
            {
                if (image.OsArch!.Contains("s390x", StringComparison.Ordinal))
                {
                    AddRawImageFiles($"{installRoot}/netboot/{image.OsVers}/s390x/{image.Profile}", manifest);
                }
                else
                {
                    FindPkglist(image, manifest, problems);
                    SelectNetbootFiles(image, manifest, problems);
                }
            }
            else if (provMethod.Contains("statelite", StringComparison.Ordinal))
            {
                FindPkglist(image, manifest, problems);
                SelectStateliteFiles(image, manifest, problems);
            }
        }

        if ((provMethod.Contains("raw", StringComparison.Ordinal) || provMethod.Contains("sysclone", StringComparison.Ordinal)) &&
            image.OsArch!.Contains("s390x", StringComparison.Ordinal))
        {
            AddRawImageFiles($"{installRoot}/{provMethod}/{image.OsVers}/s390x/{image.Profile}", manifest);
        }

        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }
    }

    private void FindPkglist(OsImageRecord image, ImageManifest manifest, List<string> problems)
    {
        if (manifest.LinuxImage.ContainsKey("pkglist"))
        {
            return;
        }

        var pkglist = LookForFile("pkglist", image, $"{_site.InstallDir}/custom/netboot", $"{XcatShare}/netboot");
        if (pkglist is null)
        {
            problems.Add($"Couldn't find pkglist file for {image.Name}");
        }
        else
        {
            manifest.LinuxImage["pkglist"] = pkglist;
        }
    }

    private void SelectNetbootFiles(OsImageRecord image, ImageManifest manifest, List<string> problems)
    {
        var rootImgDir = image.Linux("rootimgdir");
        string? ramdisk, kernel, rootImg;
        if (rootImgDir is not null)
        {
            ramdisk = ExistingFile($"{rootImgDir}/initrd-stateless.gz");
            kernel = ExistingFile($"{rootImgDir}/kernel");

            // xCAT takes "<rootimgdir>/" when no archive exists and fails later without a word; we say so here.
            rootImg = RootImgNames.Select(n => ExistingFile($"{rootImgDir}/{n}")).FirstOrDefault(p => p is not null);
        }
        else
        {
            var netboot = $"{_site.InstallDir}/netboot";
            ramdisk = LookForFile("initrd-stateless.gz", image, netboot);
            kernel = LookForFile("kernel", image, netboot);
            rootImg = RootImgSearchNames.Select(n => LookForFile(n, image, netboot)).FirstOrDefault(p => p is not null);
        }

        // The two spaces before the image name are xCAT's.
        Require(ramdisk, $"Couldn't find ramdisk (initrd-stateless.gz) for  {image.Name}", v => manifest.Ramdisk = v, problems);
        Require(kernel, $"Couldn't find kernel (kernel) for  {image.Name}", v => manifest.Kernel = v, problems);
        Require(rootImg, $"Couldn't find compressed rootimg for {image.Name}", v => manifest.RootImg = v, problems);
    }

    private void SelectStateliteFiles(OsImageRecord image, ImageManifest manifest, List<string> problems)
    {
        var rootImgDir = image.Linux("rootimgdir");
        string? kernel, ramdisk;
        if (rootImgDir is not null)
        {
            kernel = ExistingFile($"{rootImgDir}/kernel");
            ramdisk = ExistingFile($"{rootImgDir}/initrd-statelite.gz");
        }
        else
        {
            var netboot = $"{_site.InstallDir}/netboot";
            kernel = LookForFile("kernel", image, netboot);
            ramdisk = LookForFile("initrd-statelite.gz", image, netboot);
        }

        Require(kernel, $"Couldn't find kernel (kernel) for  {image.Name}", v => manifest.Kernel = v, problems);
        Require(ramdisk, $"Couldn't find ramdisk (initrd-statelite.gz) for  {image.Name}", v => manifest.Ramdisk = v, problems);
    }

    private static void Require(string? value, string problem, Action<string> set, List<string> problems)
    {
        if (value is null)
        {
            problems.Add(problem);
        }
        else
        {
            set(value);
        }
    }

    // s390x images: every *.img file of the directory; a missing directory is reported and the export goes on.
    private void AddRawImageFiles(string logicalDirectory, ImageManifest manifest)
    {
        var directory = _site.Map(logicalDirectory);
        if (!Directory.Exists(directory))
        {
            Skip($"Could not open image files in directory {logicalDirectory}");
            return;
        }

        manifest.RawImageFiles.AddRange(Directory.EnumerateFiles(directory, "*.img")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(f => $"{logicalDirectory}/{f}"));
    }

    // look_for_file: in each directory, the first of xCAT's directory names for osvers that exists (rhels8.5.0 → ... → rh), then try
    // <profile>.<osvers>.<arch>.<ext>, <profile>.<osvers>.<ext>, <profile>.<arch>.<ext>, <profile>.<ext> for
    // templates and pkglists, or <dd>/<arch>/<profile>/<file> for anything else (xcat-spec §1.3).
    private string? LookForFile(string file, OsImageRecord image, params string[] directories)
    {
        var osvers = image.OsVers ?? string.Empty;
        foreach (var directory in directories)
        {
            var dd = Distribution.DirectoryNames(osvers).FirstOrDefault(name => Readable($"{directory}/{name}")) ?? string.Empty;

            string[] candidates = osvers.Length > 0 && file is "tmpl" or "pkglist"
                ?
                [
                    $"{directory}/{dd}/{image.Profile}.{osvers}.{image.OsArch}.{file}",
                    $"{directory}/{dd}/{image.Profile}.{osvers}.{file}",
                    $"{directory}/{dd}/{image.Profile}.{image.OsArch}.{file}",
                    $"{directory}/{dd}/{image.Profile}.{file}",
                ]
                : [$"{directory}/{dd}/{image.OsArch}/{image.Profile}/{file}"];
            var found = candidates.FirstOrDefault(Readable);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    private bool Readable(string logicalPath) => File.Exists(_site.Map(logicalPath)) || Directory.Exists(_site.Map(logicalPath));

    private string? ExistingFile(string logicalPath) => File.Exists(_site.Map(logicalPath)) ? logicalPath : null;
}
