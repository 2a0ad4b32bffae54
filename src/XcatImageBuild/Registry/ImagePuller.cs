using XcatImageBuild.Images;

namespace XcatImageBuild.Registry;

/// <summary>
/// <c>imgpull REGISTRY/REPO:TAG [DEST]</c>: fetches an osimage artifact's manifest, checks its digest, its media
/// type and its artifact type, then streams the bundle into a temporary file beside the destination, checking its
/// size as it arrives and its digest at the end, and only then renames it into place. A failure or a kill leaves
/// no file under the destination's name; the temporary has a fixed name, so a rerun replaces it and starts over.
/// </summary>
public sealed class ImagePuller
{
    private readonly RegistryClient _client;

    /// <param name="client">The client of the reference's registry.</param>
    public ImagePuller(RegistryClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Pulls the bundle.</summary>
    /// <param name="reference">The artifact.</param>
    /// <param name="destination">A file or an existing directory; null for <c>&lt;image&gt;.tgz</c> in <paramref name="workingDirectory"/>.</param>
    /// <param name="workingDirectory">Where relative destinations are resolved.</param>
    /// <param name="progress">Told the bytes downloaded so far, and the total.</param>
    /// <exception cref="XcatException">The registry cannot be reached or refuses, or the artifact is not an osimage or does not match its digests.</exception>
    public PullResult Run(ImageReference reference, string? destination, string workingDirectory, Action<long, long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var (manifest, digest) = FetchManifest(reference);
        var layer = manifest.Layers.Count == 1 && manifest.Layers[0].MediaType == OciMediaTypes.Bundle
            ? manifest.Layers[0]
            : throw new XcatException($"The artifact {reference} does not have exactly one layer of type {OciMediaTypes.Bundle}; it is not a bundle this product pushed.");
        var imageName = manifest.Annotations.GetValueOrDefault(OsImageAnnotations.Name)
            ?? throw new XcatException($"The artifact {reference} has no {OsImageAnnotations.Name} annotation, so it names no image.");
        if (OsImageFields.NameProblem(imageName) is { } problem)
        {
            throw new XcatException($"The artifact {reference} names the image '{OsImageFields.Escape(imageName)}', which {problem}.");
        }

        var target = Target(destination, workingDirectory, imageName);
        var referrers = Referrers(reference.Repository, digest);
        var temporary = Path.Combine(Path.GetDirectoryName(target)!, "." + Path.GetFileName(target) + ".pull");
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                _client.DownloadBlob(reference.Repository, layer, file, done => progress?.Invoke(done, layer.Size));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e) when (e is XcatException or IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            if (e is XcatException)
            {
                throw;
            }

            throw new XcatException($"Cannot write {target}: {e.Message}", e);
        }

        return new PullResult(imageName, target, digest, layer.Digest, layer.Size, referrers);
    }

    private (OciManifest Manifest, string Digest) FetchManifest(ImageReference reference)
    {
        var fetched = _client.GetManifest(reference.Repository, reference.Reference)
            ?? throw new XcatException($"The registry {reference.Registry} has no {reference.Repository}:{reference.Reference}.");
        OciManifest manifest;
        try
        {
            manifest = OciManifest.Parse(fetched.Content, $"the manifest of {reference}");
        }
        catch (InvalidDataException e)
        {
            throw new XcatException(e.Message + "; nothing was written.", e);
        }

        if (manifest.ArtifactType != OciMediaTypes.OsImage)
        {
            throw new XcatException(
                $"The artifact {reference} is of type '{manifest.ArtifactType}', not an xCAT osimage ({OciMediaTypes.OsImage}); nothing was written.");
        }

        return (manifest, fetched.Digest);
    }

    private static string Target(string? destination, string workingDirectory, string imageName)
    {
        var fileName = imageName + ".tgz";
        if (string.IsNullOrEmpty(destination))
        {
            return Path.Combine(workingDirectory, fileName);
        }

        var full = Path.GetFullPath(destination, workingDirectory);
        if (Directory.Exists(full))
        {
            return Path.Combine(full, fileName);
        }

        return Directory.Exists(Path.GetDirectoryName(full))
            ? full
            : throw new XcatException($"Cannot write {destination}: the directory {Path.GetDirectoryName(full)} does not exist.");
    }

    // The referrers API first; the sha256-<hex> tag where the registry has none.
    private IReadOnlyList<OciDescriptor> Referrers(string repository, string digest)
    {
        var where = $"the referrers of {repository}@{digest}";
        try
        {
            if (_client.GetReferrers(repository, digest) is { } index)
            {
                return OciIndex.Parse(index, where);
            }

            return _client.GetManifest(repository, ImagePusher.FallbackTag(digest), allowMissing: true) is { } fallback
                ? OciIndex.Parse(fallback.Content, where)
                : [];
        }
        catch (InvalidDataException e)
        {
            throw new XcatException($"{e.Message}; nothing was written.", e);
        }
    }
}
