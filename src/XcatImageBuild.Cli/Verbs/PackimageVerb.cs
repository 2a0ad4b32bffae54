using System.CommandLine;
using System.Reflection;
using XcatImageBuild.Packimage;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>packimage [-m cpio|tar|squashfs] [-c gzip|pigz|xz|zstd] [--nosyncfiles] IMAGE</c>: xCAT's flags and messages
/// (xcat-spec §2.1), plus <c>--level</c>/<c>--best</c>. SOURCE_DATE_EPOCH in the environment makes the archive reproducible.
/// </summary>
public static class PackimageVerb
{
    private const string Usage = """
        Usage:
           packimage [-m| --method=cpio|tar|squashfs] [-c| --compress=gzip|pigz|xz|zstd] [--nosyncfiles] <imagename>
           packimage [-h| --help]
           packimage [-v| --version]
        """;

    private static readonly string[] LeveledCompressors = ["gzip", "xz", "zstd"];

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = new Argument<string?>("imagename") { Description = "The osimage to pack.", Arity = ArgumentArity.ZeroOrOne };
        var method = new Option<string?>("--method", "-m") { Description = "Archive method: cpio (default), tar or squashfs.", HelpName = "cpio|tar|squashfs" };
        var compress = new Option<string?>("--compress", "-c") { Description = "Compressor: gzip, pigz (default), xz or zstd.", HelpName = "gzip|pigz|xz|zstd" };
        var noSyncFiles = new Option<bool>("--nosyncfiles") { Description = "Do not apply the osimage's synclists to the image." };
        var level = new Option<int?>("--level", "-l") { Description = $"Compression level ({LevelTable()})." };
        var best = new Option<bool>("--best") { Description = "Smallest archive: the compressor's highest level." };
        var version = new Option<bool>("--version", "-v") { Description = "Print the version." };
        var obsolete = new[] { new Option<string?>("-o") { Hidden = true }, new Option<string?>("-p") { Hidden = true }, new Option<string?>("-a") { Hidden = true } };
        var command = new Command("packimage", "Pack a diskless (netboot) osimage's rootimg into rootimg.cpio.gz (or .tar, .xz, .zst, .sfs).")
        {
            image, method, compress, noSyncFiles, level, best, version,
        };
        foreach (var option in obsolete)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => context.Execute(() =>
        {
            if (parse.GetValue(version))
            {
                context.Output.WriteLine($"Version {typeof(ImagePacker).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown"}");
                return 0;
            }

            if (obsolete.Any(o => parse.GetResult(o) is not null))
            {
                throw new XcatException("-o, -p and -a options are obsoleted, please use 'packimage <osimage name>' instead.");
            }

            var name = parse.GetValue(image);
            if (string.IsNullOrEmpty(name))
            {
                // Bare 'packimage' prints the usage with exit code 0, as xCAT does; flags without a name are an error.
                if (parse.GetValue(method) is null && parse.GetValue(compress) is null && !parse.GetValue(noSyncFiles) && parse.GetValue(level) is null && !parse.GetValue(best))
                {
                    context.Output.WriteLine(Usage);
                    return 0;
                }

                throw new XcatException("An image name is required, use 'packimage <osimage name>'.");
            }

            var options = new PackimageOptions(name)
            {
                Method = parse.GetValue(method),
                Compress = parse.GetValue(compress),
                NoSyncFiles = parse.GetValue(noSyncFiles),
                Level = parse.GetValue(level),
                Best = parse.GetValue(best),
                SourceDateEpoch = context.SourceDateEpoch(),
            };
            new ImagePacker(context.OpenSite(parse), context.Progress, context.Runner()).Run(options);
            return 0;
        }));
        return command;
    }

    private static string LevelTable() => string.Join("; ", LeveledCompressors.Select(compressor =>
    {
        var (lowest, highest, normal) = ArchiveFormat.LevelsOf(compressor);
        return FormattableString.Invariant($"{compressor} {lowest}-{highest}, default {normal}");
    }));
}
