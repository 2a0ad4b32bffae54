namespace XcatImageBuild.Registry;

/// <summary>What <c>imgpush</c> stored.</summary>
/// <param name="ImageName">The image the bundle holds.</param>
/// <param name="Reference">Where it was pushed.</param>
/// <param name="Digest">The artifact manifest's digest.</param>
/// <param name="Referrers">The signature and SBOM manifests that refer to it.</param>
public sealed record PushResult(string ImageName, ImageReference Reference, string Digest, IReadOnlyList<OciDescriptor> Referrers);
