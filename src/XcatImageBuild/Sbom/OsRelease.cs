namespace XcatImageBuild.Sbom;

/// <summary>The <c>ID</c> and <c>VERSION_ID</c> of an image's os-release file, read inside the root (never through a link out of it).</summary>
internal sealed record OsRelease(string? Id, string? VersionId)
{
    /// <summary>The purl <c>distro</c> qualifier, <c>debian-12</c>, or null when the image does not say.</summary>
    public string? Distro => Id is null ? null : VersionId is null ? Id : $"{Id}-{VersionId}";

    public static OsRelease Read(string root)
    {
        // etc/os-release is usually a relative link to ../usr/lib/os-release; reading the target inside the root
        // directly keeps an absolute link from leading to the host's file.
        foreach (var relative in new[] { "usr/lib/os-release", "etc/os-release" })
        {
            var path = Path.Combine(root, relative);
            var info = new FileInfo(path);
            if (info.Exists && info.LinkTarget is null)
            {
                var values = File.ReadLines(path)
                    .Select(l => l.Split('=', 2))
                    .Where(p => p.Length == 2)
                    .GroupBy(p => p[0].Trim(), StringComparer.Ordinal)
                    .ToDictionary(g => g.Key, g => g.First()[1].Trim().Trim('"', '\''), StringComparer.Ordinal);
                return new OsRelease(values.GetValueOrDefault("ID"), values.GetValueOrDefault("VERSION_ID"));
            }
        }

        return new OsRelease(null, null);
    }
}
