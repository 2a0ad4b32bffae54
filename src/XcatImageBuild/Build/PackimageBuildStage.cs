using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// packimage in a build. Reads: genimage's output, the exlists (includes expanded), the synclists and every source
/// they copy, the postscripts it copies in, site.timezone, site.secureroot and the root password. Leaves: the archive,
/// and the root as packimage left it, so a hand edit in <c>rootimg/</c> makes it run again.
/// </summary>
public sealed class PackimageBuildStage : BuildStage
{
    /// <summary>The archive a build asks for: xCAT's default cpio and gzip.</summary>
    internal const string ArchiveName = "rootimg.cpio.gz";

    public override string Name => "packimage";

    public override string? Previous => "genimage";

    protected override void AddInputs(StageDigests digests, ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        AddColumns(digests, "osimage", image.OsImage, "osvers", "osarch", "profile", "provmethod", "synclists");
        AddColumns(digests, "linuximage", image.LinuxImage, "exlist", "rootimgdir");
        AddLists(digests, image, "exlist", image.Linux("exlist"));
        AddSyncLists(digests, image);

        var postscripts = $"{image.InstallDir}/postscripts";
        digests.AddDigest($"postscripts {postscripts}", image.Digest(postscripts));
        digests.AddValue("site.timezone", image.Setting("timezone"));
        digests.AddValue("site.secureroot", image.Setting("secureroot"));
        digests.AddValue("passwd system root", image.Password("system", "root"));
        digests.AddValue("packimage flags", $"-m cpio -c gzip");
    }

    public override StageDigests Outputs(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        var directory = image.RootImageDirectory;
        var digests = new StageDigests();
        digests.AddDigest($"archive {directory}/{ArchiveName}", image.Digest($"{directory}/{ArchiveName}"));
        digests.AddDigest($"rootimg {directory}/rootimg", BuildDigest.OfTree(image.Map($"{directory}/rootimg")));
        return digests;
    }

    public override void Run(ImageSnapshot image, BuildSettings settings, XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        new ImagePacker(site, progress, runner).Run(new PackimageOptions(image.Name) { SourceDateEpoch = settings.SourceDateEpoch });
    }
}
