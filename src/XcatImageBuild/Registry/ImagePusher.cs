namespace XcatImageBuild.Registry;

/// <summary>
/// <c>imgpush BUNDLE REGISTRY/REPO:TAG</c>: the bundle as an OCI 1.1 artifact of type
/// <see cref="OciMediaTypes.OsImage"/> with the bundle as its one layer, then its signature and SBOM, when the bundle
/// carries them, as artifacts that refer to it (<c>subject</c>). Where the registry has no referrers API, the
/// referrers are listed in an index under the tag <c>sha256-&lt;hex&gt;</c> (image-spec 1.1's fallback). Everything
/// pushed is derived from the bundle's bytes alone, so pushing the same bundle twice gives the same digests.
/// </summary>
public sealed class ImagePusher
{
    private readonly RegistryClient _client;

    /// <param name="client">The client of the reference's registry.</param>
    public ImagePusher(RegistryClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        _client = client;
    }

    /// <summary>Pushes the bundle.</summary>
    /// <exception cref="XcatException">The bundle is unreadable, or the registry cannot be reached or refuses.</exception>
    public PushResult Run(string bundlePath, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Tag is null)
        {
            throw new XcatException($"Push to a tag, not a digest: {reference}.");
        }

        var bundle = BundleArtifact.Read(bundlePath);
        var repository = reference.Repository;
        var layer = new OciDescriptor(
            OciMediaTypes.Bundle,
            bundle.Digest,
            bundle.Size,
            Annotations: new Dictionary<string, string>(StringComparer.Ordinal) { [OsImageAnnotations.Title] = bundle.ImageName + ".tgz" });
        PushConfig(repository);
        _client.PushBlob(repository, layer, () => File.OpenRead(bundlePath));
        var manifest = new OciManifest(OciMediaTypes.OsImage, OciDescriptor.EmptyConfig, [layer], null, OsImageAnnotations.Of(bundle)).ToBytes();
        var (digest, _) = _client.PushManifest(repository, reference.Tag, manifest, OciMediaTypes.Manifest);
        var subject = new OciDescriptor(OciMediaTypes.Manifest, digest, manifest.Length);

        var referrers = new List<OciDescriptor>();
        foreach (var (type, content, name) in new[]
        {
            (OciMediaTypes.Signature, bundle.Signature, BundleArtifact.SignatureFileName),
            (OciMediaTypes.Sbom, bundle.Sbom, BundleArtifact.SbomFileName),
        })
        {
            if (content is not null)
            {
                referrers.Add(PushReferrer(repository, subject, type, content, name, bundle.Created));
            }
        }

        return new PushResult(bundle.ImageName, reference, digest, referrers);
    }

    private void PushConfig(string repository)
    {
        var config = OciDescriptor.EmptyConfig;
        _client.PushBlob(repository, config, () => new MemoryStream(config.Data!));
    }

    private OciDescriptor PushReferrer(string repository, OciDescriptor subject, string type, byte[] content, string fileName, DateTimeOffset created)
    {
        var blob = new OciDescriptor(
            type,
            OciDescriptor.DigestOf(content),
            content.Length,
            Annotations: new Dictionary<string, string>(StringComparer.Ordinal) { [OsImageAnnotations.Title] = fileName });
        _client.PushBlob(repository, blob, () => new MemoryStream(content));
        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [OsImageAnnotations.Created] = OsImageAnnotations.CreatedText(created) };
        var manifest = new OciManifest(type, OciDescriptor.EmptyConfig, [blob], subject, annotations).ToBytes();
        var (digest, referrersApi) = _client.PushManifest(repository, OciDescriptor.DigestOf(manifest), manifest, OciMediaTypes.Manifest);
        var descriptor = new OciDescriptor(OciMediaTypes.Manifest, digest, manifest.Length, type, annotations);
        if (!referrersApi)
        {
            AddToFallbackTag(repository, subject, descriptor);
        }

        return descriptor;
    }

    // image-spec 1.1, "referrers tag schema": an index under sha256-<hex> of the subject lists its referrers; a
    // referrer already there is not added again, so a second push leaves the index as it was.
    private void AddToFallbackTag(string repository, OciDescriptor subject, OciDescriptor referrer)
    {
        var tag = FallbackTag(subject.Digest);
        var existing = _client.GetManifest(repository, tag, allowMissing: true);
        var entries = existing is { } found ? OciIndex.Parse(found.Content, $"the referrers index {repository}:{tag}") : [];
        if (entries.Any(e => e.Digest == referrer.Digest))
        {
            return;
        }

        entries = [.. entries, referrer];
        _client.PushManifest(repository, tag, OciIndex.ToBytes(entries), OciMediaTypes.Index);
    }

    /// <summary>The fallback tag that lists the referrers of <paramref name="digest"/>: <c>sha256-&lt;hex&gt;</c>.</summary>
    public static string FallbackTag(string digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return digest.Replace(':', '-');
    }
}
