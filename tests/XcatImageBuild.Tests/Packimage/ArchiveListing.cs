using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Packimage;

/// <summary>What the real tools say about an archive.</summary>
internal static class ArchiveListing
{
    /// <summary>The member names `cpio -t` or `tar -t` print, after decompressing with the real gzip/xz/zstd.</summary>
    public static IReadOnlyList<string> Names(string archive)
    {
        var decompress = archive.EndsWith(".xz", StringComparison.Ordinal) ? "xz -dc" : archive.EndsWith(".zst", StringComparison.Ordinal) ? "zstd -dcq" : "gzip -dc";
        var list = archive.Contains(".tar.", StringComparison.Ordinal) ? "tar -tf -" : "cpio -t --quiet";
        var result = new ProcessRunner().Run(new ToolCommand("bash", ["-c", $"set -o pipefail; {decompress} '{archive}' | {list}"]));
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>`cpio -tv` lines (mode, owner, name...).</summary>
    public static IReadOnlyList<string> Verbose(string archive)
    {
        var result = new ProcessRunner().Run(new ToolCommand("bash", ["-c", $"set -o pipefail; gzip -dc '{archive}' | cpio -tv --quiet"]));
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
