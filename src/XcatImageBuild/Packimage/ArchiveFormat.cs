using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Packimage;

/// <summary>
/// The archive method and compressor of one pack, checked as xCAT checks them (xcat-spec §2.4) — but before the image
/// is touched — and the archive's file name.
/// </summary>
/// <param name="Method">cpio, tar or squashfs.</param>
/// <param name="Compressor">gzip, pigz, xz or zstd (ignored for squashfs).</param>
/// <param name="Level">The compression level to use.</param>
public sealed record ArchiveFormat(string Method, string Compressor, int Level)
{
    /// <summary>The archive's name in the root image directory: <c>rootimg.cpio.gz</c>, <c>rootimg.tar.zst</c>, <c>rootimg.sfs</c>...</summary>
    public string FileName => Method == "squashfs" ? "rootimg.sfs" : $"rootimg.{Method}.{Suffix}";

    /// <summary>Whether the compressor is gzip (done in-process, in parallel blocks) rather than an external tool.</summary>
    public bool IsGzip => Compressor is "gzip" or "pigz";

    private string Suffix => Compressor switch
    {
        "xz" => "xz",
        "zstd" => "zst",
        _ => "gz",
    };

    /// <summary>
    /// The levels <c>--level</c> takes for a compressor: the lowest, the highest and its default. gzip's are libdeflate's
    /// levels 1 to 9 (zlib's where libdeflate is missing); the default, 5, is the fastest whose archive is no larger than
    /// <c>pigz -6</c>'s (docs/packimage.md has the measurements).
    /// </summary>
    /// <param name="compressor">gzip, pigz, xz or zstd.</param>
    public static (int Lowest, int Highest, int Default) LevelsOf(string compressor) => compressor switch
    {
        "xz" => (0, 9, 6),
        "zstd" => (1, 19, 3),
        _ => (1, 9, 5),
    };

    /// <summary>
    /// The level <c>--best</c> picks: the compressor's highest. For gzip that is libdeflate's 12, beyond the levels
    /// <c>--level</c> takes (the slow exhaustive search; zlib's 9 where libdeflate is missing).
    /// </summary>
    /// <param name="compressor">gzip, pigz, xz or zstd.</param>
    public static int BestLevelOf(string compressor) => compressor is "gzip" or "pigz"
        ? (ParallelGzipStream.UsesLibdeflate ? ParallelGzipStream.HighestLevel : 9)
        : LevelsOf(compressor).Highest;

    /// <summary>Checks the method, compressor and level, and that the tools they need are installed.</summary>
    /// <param name="method"><c>-m</c>, null for cpio.</param>
    /// <param name="compressor"><c>-c</c>, null for pigz-style gzip.</param>
    /// <param name="level"><c>--level</c>, null for the compressor's default.</param>
    /// <param name="best"><c>--best</c>: the compressor's highest level, whatever <paramref name="level"/> says.</param>
    /// <param name="tools">Where the external compressors are looked for.</param>
    /// <exception cref="XcatException">xCAT's message for an invalid method or compressor, a level out of range, or a missing tool.</exception>
    public static ArchiveFormat Resolve(string? method, string? compressor, int? level, bool best, IProcessRunner tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        // xCAT validates the compressor first (xcat-spec §2.4).
        var compress = compressor ?? "pigz";
        if (compress is not ("gzip" or "pigz" or "xz" or "zstd"))
        {
            throw new XcatException($"Invalid compress method '{compress}' requested");
        }

        var archive = method ?? "cpio";
        if (archive is not ("cpio" or "tar" or "squashfs"))
        {
            throw new XcatException($"Invalid archive method '{archive}' requested");
        }

        if (archive == "squashfs")
        {
            if (tools.FindExecutable("mksquashfs") is null)
            {
                throw new XcatException(
                    "mksquashfs not found, squashfs-tools rpm should be installed on the management node", 1, "Install the Debian package 'squashfs-tools'.");
            }

            _ = tools.FindExecutable("tar") ?? throw ProcessRunner.Missing("tar", "tar");
        }
        else if (compress is "xz" or "zstd")
        {
            _ = tools.FindExecutable(compress) ?? throw ProcessRunner.Missing(compress, compress == "xz" ? "xz-utils" : "zstd");
        }

        var (low, high, normal) = LevelsOf(compress);
        if (best)
        {
            return new ArchiveFormat(archive, compress, BestLevelOf(compress));
        }

        var chosen = level ?? normal;
        if (chosen < low || chosen > high)
        {
            throw new XcatException($"Invalid compression level {chosen} for {compress}: use {low} to {high}.");
        }

        return new ArchiveFormat(archive, compress, chosen);
    }
}
