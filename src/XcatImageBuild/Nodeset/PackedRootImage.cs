namespace XcatImageBuild.Nodeset;

/// <summary>
/// Which packed root image of a root image directory a node is sent (xcat-spec §11, SvrUtils.pm
/// searchcompressedrootimg): <c>rootimg.cpio.gz</c>, <c>.cpio.xz</c>, <c>.tar.gz</c>, <c>.tar.xz</c>, then
/// <c>rootimg.sfs</c>, then the old <c>rootimg.gz</c>. The zstd forms our packimage writes come last: only our own
/// initrd unpacks them.
/// </summary>
public static class PackedRootImage
{
    /// <summary>The names stock xCAT's nodeset and initrd know, in the order nodeset prefers them.</summary>
    public static readonly IReadOnlyList<string> StockNames =
        ["rootimg.cpio.gz", "rootimg.cpio.xz", "rootimg.tar.gz", "rootimg.tar.xz", "rootimg.sfs", "rootimg.gz"];

    /// <summary>The names only our initrd unpacks.</summary>
    public static readonly IReadOnlyList<string> OwnNames = ["rootimg.cpio.zst", "rootimg.tar.zst"];

    /// <summary>The file name of the packed image in <paramref name="directory"/> (on disk), or null when there is none.</summary>
    public static string? Find(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        return StockNames.Concat(OwnNames).FirstOrDefault(name => File.Exists(Path.Combine(directory, name)));
    }

    /// <summary>Whether stock xCAT's nodeset and initrd can boot a packed image of this name.</summary>
    public static bool IsStock(string fileName) => StockNames.Contains(fileName, StringComparer.Ordinal);
}
