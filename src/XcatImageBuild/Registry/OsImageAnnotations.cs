using System.Globalization;

namespace XcatImageBuild.Registry;

/// <summary>The annotations of an osimage artifact: the image's identity, read without downloading the bundle.</summary>
public static class OsImageAnnotations
{
    /// <summary>When the bundle was made (RFC 3339, UTC), never when it was pushed.</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>The bundle's file name on the layer (what <c>imgpull</c> writes by default).</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>osimage.imagename.</summary>
    public const string Name = "xcatimagebuild.osimage.name";

    /// <summary>osimage.osvers.</summary>
    public const string OsVers = "xcatimagebuild.osimage.osvers";

    /// <summary>osimage.osarch.</summary>
    public const string Arch = "xcatimagebuild.osimage.osarch";

    /// <summary>osimage.profile.</summary>
    public const string Profile = "xcatimagebuild.osimage.profile";

    /// <summary>osimage.provmethod.</summary>
    public const string ProvMethod = "xcatimagebuild.osimage.provmethod";

    /// <summary>The digest of the bundle's SHA256SUMS: what its signature covers.</summary>
    public const string ChecksumsDigest = "xcatimagebuild.osimage.sha256sums.digest";

    /// <summary>The annotations of the bundle's artifact.</summary>
    public static SortedDictionary<string, string> Of(BundleArtifact bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [Created] = CreatedText(bundle.Created),
            [Name] = bundle.ImageName,
        };
        Add(annotations, OsVers, bundle.Manifest.OsVers);
        Add(annotations, Arch, bundle.Manifest.OsArch);
        Add(annotations, Profile, bundle.Manifest.Profile);
        Add(annotations, ProvMethod, bundle.Manifest.ProvMethod);
        Add(annotations, ChecksumsDigest, bundle.ChecksumsDigest);
        return annotations;
    }

    /// <summary>A time as the OCI annotation writes it: RFC 3339 in UTC, to the second.</summary>
    public static string CreatedText(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void Add(SortedDictionary<string, string> annotations, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            annotations[key] = value;
        }
    }
}
