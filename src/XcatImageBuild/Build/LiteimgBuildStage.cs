using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;
using XcatImageBuild.Statelite;

namespace XcatImageBuild.Build;

/// <summary>
/// liteimg in a build of a statelite image. Reads: genimage's output, the litefile rows that apply to the image (as
/// ilitefile lists them), osimage.rootfstype and groups, the exlists of a ramdisk image, the synclists and every
/// source they copy, the postscripts it copies in, site.secureroot, the root password and xCAT's rc.statelite.
/// Leaves: the root as liteimg left it (a hand edit in <c>rootimg/</c> makes it run again) and, for a ramdisk image,
/// <c>rootimg-statelite.gz</c>.
/// </summary>
public sealed class LiteimgBuildStage : BuildStage
{
    public override string Name => "liteimg";

    public override string? Previous => "genimage";

    protected override void AddInputs(StageDigests digests, ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        AddColumns(digests, "osimage", image.OsImage, "osvers", "osarch", "profile", "provmethod", "rootfstype", "groups", "synclists");
        AddColumns(digests, "linuximage", image.LinuxImage, "rootimgdir");
        digests.AddValue($"litefile rows for {image.Name}", image.LiteFileText());
        if (image.Os("rootfstype") == "ramdisk")
        {
            AddColumns(digests, "linuximage", image.LinuxImage, "exlist");
            AddLists(digests, image, "exlist", image.Linux("exlist"));
        }

        AddSyncLists(digests, image);
        var postscripts = $"{image.InstallDir}/postscripts";
        digests.AddDigest($"postscripts {postscripts}", image.Digest(postscripts));
        digests.AddValue("site.secureroot", image.Setting("secureroot"));
        digests.AddValue("passwd system root", image.Password("system", "root"));
        digests.AddDigest($"file {LiteimgStage.RcStatelite}", image.Digest(LiteimgStage.RcStatelite));
    }

    public override StageDigests Outputs(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        var directory = image.RootImageDirectory;
        var digests = new StageDigests();
        digests.AddDigest($"rootimg {directory}/rootimg", BuildDigest.OfTree(image.Map($"{directory}/rootimg")));
        if (image.Os("rootfstype") == "ramdisk")
        {
            digests.AddDigest($"archive {directory}/{LiteimgStage.RamdiskArchive}", image.Digest($"{directory}/{LiteimgStage.RamdiskArchive}"));
        }

        return digests;
    }

    public override void Run(ImageSnapshot image, BuildSettings settings, XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        new LiteimgStage(site, runner, progress).Run(new LiteimgOptions(image.Name) { SourceDateEpoch = settings.SourceDateEpoch });
    }
}
