using XcatImageBuild.Distributions;
using XcatImageBuild.Site;

namespace XcatImageBuild.Media;

/// <summary>
/// The package lists, exclude lists, postinstall scripts and install templates the default images point at, written
/// for this product (the repository's <c>templates/shipped/</c>, one set per distribution family) and placed where
/// xCAT keeps its shipped files, <c>/opt/xcat/share/xcat/&lt;install|netboot&gt;/&lt;platform&gt;/</c>. Files in the
/// site's custom directory take precedence over them (<see cref="DefaultFileLookup"/>).
/// </summary>
public static class ShippedDefaults
{
    private const string Prefix = "shipped/";

    /// <summary>
    /// Writes the shipped files of <paramref name="distribution"/>'s platform directory under the site's <c>/opt/xcat/share/xcat</c>, replacing
    /// one only when its content differs; returns the logical paths written.
    /// </summary>
    /// <exception cref="XcatException">A file cannot be written.</exception>
    public static IReadOnlyList<string> Place(XcatSite site, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(distribution);
        var set = distribution.ShippedSet;
        if (set is null)
        {
            return [];
        }

        var assembly = typeof(ShippedDefaults).Assembly;
        var written = new List<string>();
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            var relative = resource.Replace('\\', '/');
            if (!relative.StartsWith(Prefix + set + "/", StringComparison.Ordinal))
            {
                continue;
            }

            // shipped/<set>/<install|netboot>/<file>
            var parts = relative[Prefix.Length..].Split('/');
            var logical = $"{DefaultFileLookup.ShippedDirectory(parts[1], distribution.Platform)}/{parts[2]}";
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            if (Write(site.Map(logical), buffer.ToArray(), parts[2].EndsWith(".postinstall", StringComparison.Ordinal)))
            {
                written.Add(logical);
            }
        }

        return written;
    }

    private static bool Write(string path, byte[] content, bool executable)
    {
        try
        {
            if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content))
            {
                return false;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var temporary = path + ".xcatimg-tmp";
            File.WriteAllBytes(temporary, content);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                | (executable ? UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute : 0));
            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot write the shipped default {path}: {e.Message}", 1, null, e);
        }
    }
}
