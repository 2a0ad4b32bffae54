namespace XcatImageBuild.Registry;

/// <summary>The media and artifact types of the OCI artifacts this product pushes (OCI image-spec 1.1).</summary>
public static class OciMediaTypes
{
    /// <summary>An OCI image manifest.</summary>
    public const string Manifest = "application/vnd.oci.image.manifest.v1+json";

    /// <summary>An OCI image index (the referrers list and its tag fallback).</summary>
    public const string Index = "application/vnd.oci.image.index.v1+json";

    /// <summary>The empty config of an artifact with no config of its own: the two bytes <c>{}</c>.</summary>
    public const string Empty = "application/vnd.oci.empty.v1+json";

    /// <summary>The artifact type of an osimage bundle.</summary>
    public const string OsImage = "application/vnd.xcatimagebuild.osimage.v1";

    /// <summary>The bundle itself, the osimage artifact's one layer: xCAT's gzip tar.</summary>
    public const string Bundle = "application/vnd.xcatimagebuild.osimage.bundle.v1.tar+gzip";

    /// <summary>The artifact type and layer type of the minisign signature over the bundle's SHA256SUMS.</summary>
    public const string Signature = "application/vnd.xcatimagebuild.osimage.signature.v1+minisign";

    /// <summary>The artifact type and layer type of the image's SBOM (SPDX 2.3 JSON).</summary>
    public const string Sbom = "application/spdx+json";
}
