using XcatImageBuild.Distributions;

namespace XcatImageBuild.Build;

/// <summary>
/// Finds out, before anything is built, whether an image's package repositories are there, and digests their cheap
/// metadata (a Debian <c>InRelease</c> or <c>Release</c>, an RPM <c>repomd.xml</c>) so a repository that changed
/// makes genimage run. Each repository is read once per build.
/// </summary>
public sealed class RepositoryProbe : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private readonly HttpClient _http = new() { Timeout = Timeout };
    private readonly Dictionary<string, (string? Digest, string? Problem)> _seen = new(StringComparer.Ordinal);

    /// <summary>The metadata digest of every repository of the image, each named <c>repository ITEM</c>.</summary>
    public IReadOnlyList<(string Name, string Digest)> Digests(ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. Repositories(image).Select(r => ($"repository {r.Item}", Probe(image, r.Item).Digest ?? Build.StageDigests.Missing))];
    }

    /// <summary>Every repository of the image that is missing or unreachable, each as one sentence naming it.</summary>
    public IReadOnlyList<string> Problems(ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return [.. Repositories(image)
            .Select(r => (r.Column, r.Item, Probe(image, r.Item).Problem))
            .Where(r => r.Problem is not null)
            .Select(r => $"missing its package repository {r.Item} (linuximage.{r.Column}), which {r.Problem}")];
    }

    public void Dispose() => _http.Dispose();

    private static IEnumerable<(string Column, string Item)> Repositories(ImageSnapshot image)
    {
        if (image.ProvMethod is not ("netboot" or "statelite"))
        {
            yield break;
        }

        var osvers = image.Os("osvers") ?? string.Empty;
        var pkgdir = image.Linux("pkgdir") ?? $"{image.InstallDir}/{osvers}/{image.Os("osarch")}";
        // apt reads only the URL items of a Debian or Ubuntu pkgdir, falling back on a mirror without one.
        var debian = Distribution.Of(osvers)?.IsDebian == true;
        foreach (var item in Split(pkgdir).Where(i => !debian || IsUrl(i)))
        {
            yield return ("pkgdir", item);
        }

        if (image.Linux("otherpkglist") is not null)
        {
            foreach (var item in Split(image.Linux("otherpkgdir") ?? $"{image.InstallDir}/post/otherpkgs/{osvers}/{image.Os("osarch")}"))
            {
                yield return ("otherpkgdir", item);
            }
        }
    }

    private static string[] Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private (string? Digest, string? Problem) Probe(ImageSnapshot image, string item)
    {
        var debian = Distribution.Of(image.Os("osvers") ?? string.Empty)?.IsDebian == true;
        var key = $"{debian}\0{item}";
        if (!_seen.TryGetValue(key, out var result))
        {
            result = IsUrl(item) ? ProbeUrl(item, debian) : ProbeDirectory(image, item, debian);
            _seen[key] = result;
        }

        return result;
    }

    private static bool IsUrl(string item) =>
        item.StartsWith("http://", StringComparison.Ordinal) || item.StartsWith("https://", StringComparison.Ordinal)
        || item.StartsWith("ftp://", StringComparison.Ordinal) || item.StartsWith("file://", StringComparison.Ordinal);

    // A Debian item is "URL SUITE [COMPONENTS]"; an RPM one is the repository's base URL.
    private (string? Digest, string? Problem) ProbeUrl(string item, bool debian)
    {
        var words = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var baseUrl = words[0].TrimEnd('/');
        var candidates = debian
            ? words.Length > 1 ? [$"{baseUrl}/dists/{words[1]}/InRelease", $"{baseUrl}/dists/{words[1]}/Release"] : Array.Empty<string>()
            : [$"{baseUrl}/repodata/repomd.xml"];
        if (candidates.Length == 0)
        {
            // Without a suite genimage takes the osvers' suite; the mirror itself is all there is to check.
            candidates = [baseUrl + "/"];
        }

        string? last = null;
        foreach (var url in candidates)
        {
            try
            {
                using var response = _http.GetAsync(new Uri(url)).GetAwaiter().GetResult();
                if (response.IsSuccessStatusCode)
                {
                    return (BuildDigest.OfBytes(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()), null);
                }

                last = $"answers {(int)response.StatusCode} {response.ReasonPhrase} for {url}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
            {
                last = $"cannot be reached: {url}: {e.Message}";
            }
        }

        return (null, last);
    }

    private static (string? Digest, string? Problem) ProbeDirectory(ImageSnapshot image, string item, bool debian)
    {
        var words = item.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var directory = image.Map(words[0]);
        if (!Directory.Exists(directory))
        {
            return (null, $"does not exist in the site ({directory}); copy the packages there (copycds for the distribution) or point the recipe at a repository that serves them");
        }

        if (debian)
        {
            // A local Debian directory is a flat repository that apt reads through a bind mount.
            return (BuildDigest.OfTree(directory), null);
        }

        // genimage uses every directory holding repodata at or one level below an RPM pkgdir.
        var files = new[] { directory }.Concat(Directory.EnumerateDirectories(directory))
            .Select(d => Path.Combine(d, "repodata", "repomd.xml"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            return (null, $"holds no repodata/repomd.xml ({directory} or a directory in it); run createrepo_c there or copycds");
        }

        return (BuildDigest.Combine(files.Select(f => new KeyValuePair<string, string>(f, BuildDigest.OfPath(f)!))), null);
    }
}
