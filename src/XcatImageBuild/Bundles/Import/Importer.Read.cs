using XcatImageBuild.Bundles.Manifest;
using static XcatImageBuild.Site.LogicalPath;

namespace XcatImageBuild.Bundles.Import;

/// <summary>Reading the images a bundle holds (xcat-spec §1.7 step 3).</summary>
public sealed partial class Importer
{
    /// <summary>Every image of the bundle: one per top-level directory, or the one an older design's manifest.cfg describes.</summary>
    private List<ImportImage> ReadManifests(StagingArea staging)
    {
        if (staging.Find(ManifestCfgReader.FileName) is { Kind: StagingMemberKind.File })
        {
            var (manifest, members) = ManifestCfgReader.Read(File.ReadAllText(staging.PathOf(ManifestCfgReader.FileName)), _site.InstallDir);
            return [new ImportImage(string.Empty, manifest, members)];
        }

        var images = new List<ImportImage>();
        foreach (var top in staging.TopLevelNames())
        {
            if (staging.Find(top) is { Kind: not StagingMemberKind.Directory })
            {
                throw new XcatException($"The bundle has '{top}' at its top level, which is not an image directory (xCAT bundles hold only ./<image>/ directories).");
            }

            var manifestPath = $"{top}/{ImageManifest.FileName}";
            if (staging.Find(manifestPath) is not { Kind: StagingMemberKind.File })
            {
                throw new XcatException($"Failed to find manifest.xml file in image bundle: the image directory '{top}/' has no regular file manifest.xml.");
            }

            ImageManifest manifest;
            try
            {
                manifest = ManifestReader.ReadFile(staging.PathOf(manifestPath));
            }
            catch (InvalidDataException e)
            {
                throw new XcatException($"{e.Message} (in {manifestPath})", 1, null, e);
            }

            // Export copies every file flat by its basename (xcat-spec §1.4 step 4).
            var files = new ImportImage(top, manifest, new Dictionary<string, string>(StringComparer.Ordinal)).Files();
            var members = files.Select(f => f.Path).Distinct(StringComparer.Ordinal)
                .ToDictionary(p => p, p => $"{top}/{BaseName(p)}", StringComparer.Ordinal);
            images.Add(new ImportImage(top, manifest, members));
        }

        return images;
    }
}
