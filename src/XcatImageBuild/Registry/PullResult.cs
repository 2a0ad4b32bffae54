namespace XcatImageBuild.Registry;

/// <summary>What <c>imgpull</c> wrote.</summary>
/// <param name="ImageName">The image the bundle holds.</param>
/// <param name="Path">The bundle file.</param>
/// <param name="ManifestDigest">The artifact manifest's digest.</param>
/// <param name="BundleDigest">The bundle's digest, checked.</param>
/// <param name="Size">The bundle's size.</param>
/// <param name="Referrers">The artifacts that refer to it (signature, SBOM).</param>
public sealed record PullResult(string ImageName, string Path, string ManifestDigest, string BundleDigest, long Size, IReadOnlyList<OciDescriptor> Referrers);
