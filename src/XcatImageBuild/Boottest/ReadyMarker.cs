namespace XcatImageBuild.Boottest;

/// <summary>
/// The line a booted node prints on its serial console to say it is up, and what it proves:
/// <c>XCATIMG-READY root=&lt;fstype of /&gt; IMAGENAME=&lt;from /opt/xcat/xcatinfo&gt; file=&lt;path&gt; ...</c>. The node is
/// ready for the boot test when its root is a tmpfs (the initrd unpacked the image into one), the image name is the
/// image nodeset gave it and every expected file is listed.
/// </summary>
public static class ReadyMarker
{
    /// <summary>The word the ready line starts with.</summary>
    public const string Word = "XCATIMG-READY";

    /// <summary>The last ready line in a console log, or null.</summary>
    public static string? Find(string console)
    {
        ArgumentNullException.ThrowIfNull(console);
        string? found = null;
        foreach (var raw in console.Split('\n'))
        {
            var at = raw.IndexOf(Word + " ", StringComparison.Ordinal);
            if (at >= 0)
            {
                found = raw[at..].TrimEnd('\r', ' ');
            }
        }

        return found;
    }

    /// <summary>What a ready line fails to prove for this image and these files; empty when it proves everything.</summary>
    public static IReadOnlyList<string> Missing(string marker, string image, IEnumerable<string> expectedFiles)
    {
        ArgumentNullException.ThrowIfNull(marker);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(expectedFiles);
        var fields = marker.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => f.Split('=', 2))
            .Where(f => f.Length == 2)
            .ToList();
        string? Field(string key) => fields.LastOrDefault(f => f[0] == key)?[1];
        var files = fields.Where(f => f[0] == "file").Select(f => f[1]).ToHashSet(StringComparer.Ordinal);
        var missing = new List<string>();
        if (Field("root") is var root && root != "tmpfs")
        {
            missing.Add($"the root is not the tmpfs holding the image (root={root ?? "not reported"})");
        }

        if (Field("IMAGENAME") is var name && name != image)
        {
            missing.Add($"IMAGENAME in /opt/xcat/xcatinfo is not {image} (IMAGENAME={name ?? "not reported"})");
        }

        missing.AddRange(expectedFiles.Where(f => !files.Contains(f)).Select(f => $"the file {f} is not in the booted system"));
        return missing;
    }
}
