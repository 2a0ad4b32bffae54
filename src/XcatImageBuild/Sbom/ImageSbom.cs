using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Sbom;

/// <summary>
/// An image's software bill of materials, <c>&lt;rootimgdir&gt;/image.spdx.json</c>: an SPDX 2.3 JSON document listing
/// every package of the image's own package database (dpkg's status file, or the RPM database through
/// <c>rpm -qa --root</c>) — name, version, supplier, declared licence and a purl naming the architecture — with the
/// package that holds the image's kernel marked <c>OPERATING-SYSTEM</c> and annotated with the kernel's version.
/// The same root and time give the same bytes: packages are sorted, the namespace is derived from the content and
/// the creation time is <c>SOURCE_DATE_EPOCH</c> when set.
/// </summary>
public static class ImageSbom
{
    /// <summary>The document's file name in the root image directory (and in a bundle's image directory).</summary>
    public const string FileName = "image.spdx.json";

    /// <summary>The purpose the kernel's package is given.</summary>
    public const string KernelPurpose = "OPERATING-SYSTEM";

    private const string Creator = "Tool: xcatimg";
    private const string NoAssertion = "NOASSERTION";

    private static readonly string[] KernelFiles = ["boot/vmlinuz-{0}", "boot/vmlinux-{0}", "boot/image-{0}", "lib/modules/{0}/vmlinuz"];

    /// <summary>Reads the root's package database and returns the document's bytes, with the number of packages.</summary>
    /// <param name="root">The root tree on disk.</param>
    /// <param name="imageName">The osimage, the document's name.</param>
    /// <param name="osvers">osimage.osvers, for the purl namespace when the root has no os-release.</param>
    /// <param name="kernelVersion">The kernel genimage uses, or null when the image has none yet.</param>
    /// <param name="created">The document's creation time.</param>
    /// <param name="runner">Runs the host's rpm for RPM roots.</param>
    /// <exception cref="XcatException">The root has neither a dpkg nor an RPM database, or it cannot be read.</exception>
    public static (byte[] Document, int Packages) Create(string root, string imageName, string osvers, string? kernelVersion, DateTimeOffset created, IProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(imageName);
        ArgumentNullException.ThrowIfNull(osvers);
        ArgumentNullException.ThrowIfNull(runner);
        var vendor = new string([.. osvers.TakeWhile(char.IsAsciiLetter)]).ToLowerInvariant();
        var dpkg = File.Exists(Path.Combine(root, DpkgDatabase.StatusPath));
        List<InstalledPackage> packages = dpkg
            ? DpkgDatabase.Read(root, vendor.Length > 0 ? vendor : "debian")
            : Directory.Exists(Path.Combine(root, RpmDatabase.DatabasePath.TrimStart('/')))
                ? RpmDatabase.Read(root, vendor.Length > 0 ? vendor : "rpm", runner)
                : throw new XcatException($"The image {root} has no package database to list (neither {DpkgDatabase.StatusPath} nor {RpmDatabase.DatabasePath.TrimStart('/')}).");
        var kernel = kernelVersion is null ? null : FindKernel(root, kernelVersion, dpkg, runner);
        return (Write(imageName, packages, kernel, created), packages.Count);
    }

    /// <summary>The kernel file's path inside the root and the package that installed it (null when none did).</summary>
    private static (string File, string Version, string? Package)? FindKernel(string root, string version, bool dpkg, IProcessRunner runner)
    {
        foreach (var candidate in KernelFiles)
        {
            var relative = string.Format(CultureInfo.InvariantCulture, candidate, version);
            if (File.Exists(Path.Combine(root, relative)))
            {
                var file = "/" + relative;
                return (file, version, dpkg ? DpkgOwner(root, file) : RpmDatabase.Owner(root, file, runner));
            }
        }

        return null;
    }

    // dpkg records each package's files in var/lib/dpkg/info/<package>[:<arch>].list, one absolute path a line.
    private static string? DpkgOwner(string root, string file)
    {
        var info = Path.Combine(root, "var/lib/dpkg/info");
        if (!Directory.Exists(info))
        {
            return null;
        }

        foreach (var list in Directory.EnumerateFiles(info, "*.list").Order(StringComparer.Ordinal))
        {
            if (File.ReadLines(list).Any(l => l == file))
            {
                var name = Path.GetFileNameWithoutExtension(list);
                var colon = name.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? name : name[..colon];
            }
        }

        return null;
    }

    private static byte[] Write(string imageName, List<InstalledPackage> packages, (string File, string Version, string? Package)? kernel, DateTimeOffset created)
    {
        var createdText = created.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        using var buffer = new MemoryStream();

        // A file, not HTML: the '+' of versions and the '&' of purls stay as they are.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("spdxVersion", "SPDX-2.3");
            json.WriteString("dataLicense", "CC0-1.0");
            json.WriteString("SPDXID", "SPDXRef-DOCUMENT");
            json.WriteString("name", imageName);
            json.WriteString("documentNamespace", Namespace(imageName, packages, kernel));
            json.WriteStartObject("creationInfo");
            json.WriteString("created", createdText);
            json.WriteStartArray("creators");
            json.WriteStringValue(Creator);
            json.WriteEndArray();
            if (kernel is { } k)
            {
                json.WriteString("comment", $"The image's kernel is {k.Version} ({k.File}){(k.Package is null ? ", installed by no package" : string.Empty)}.");
            }

            json.WriteEndObject();
            var ids = PackageIds(packages);
            json.WriteStartArray("packages");
            for (var i = 0; i < packages.Count; i++)
            {
                var isKernel = kernel is { Package: { } owner } && owner == packages[i].Name;
                WritePackage(json, packages[i], ids[i], isKernel ? kernel : null, createdText);
            }

            json.WriteEndArray();
            json.WriteStartArray("relationships");
            foreach (var id in ids)
            {
                json.WriteStartObject();
                json.WriteString("spdxElementId", "SPDXRef-DOCUMENT");
                json.WriteString("relationshipType", "DESCRIBES");
                json.WriteString("relatedSpdxElement", id);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WritePackage(Utf8JsonWriter json, InstalledPackage package, string id, (string File, string Version, string? Package)? kernel, string created)
    {
        json.WriteStartObject();
        json.WriteString("name", package.Name);
        json.WriteString("SPDXID", id);
        json.WriteString("versionInfo", package.Version);
        json.WriteString("supplier", package.Supplier ?? NoAssertion);
        json.WriteString("downloadLocation", NoAssertion);
        json.WriteBoolean("filesAnalyzed", false);
        json.WriteString("licenseConcluded", NoAssertion);
        json.WriteString("licenseDeclared", package.License ?? NoAssertion);
        json.WriteString("copyrightText", NoAssertion);
        json.WriteStartArray("externalRefs");
        json.WriteStartObject();
        json.WriteString("referenceCategory", "PACKAGE-MANAGER");
        json.WriteString("referenceType", "purl");
        json.WriteString("referenceLocator", package.Purl);
        json.WriteEndObject();
        json.WriteEndArray();
        if (kernel is { } k)
        {
            json.WriteString("primaryPackagePurpose", KernelPurpose);
            json.WriteStartArray("annotations");
            json.WriteStartObject();
            json.WriteString("annotationDate", created);
            json.WriteString("annotationType", "OTHER");
            json.WriteString("annotator", Creator);
            json.WriteString("comment", $"kernel {k.Version} {k.File}");
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    // SPDX ids allow letters, digits, '.' and '-': "SPDXRef-Package-libstdc--6-amd64"; a clash after that folding
    // gets a counter, in the packages' sorted order, so the ids are the same for the same list.
    private static List<string> PackageIds(List<InstalledPackage> packages)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var ids = new List<string>();
        foreach (var package in packages)
        {
            var folded = new string([.. $"{package.Name}-{package.Architecture}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '-')]);
            var id = $"SPDXRef-Package-{folded}";
            for (var n = 2; !used.Add(id); n++)
            {
                id = string.Create(CultureInfo.InvariantCulture, $"SPDXRef-Package-{folded}-{n}");
            }

            ids.Add(id);
        }

        return ids;
    }

    // Unique per content and stable across builds of the same content: a digest of what the document lists.
    private static string Namespace(string imageName, List<InstalledPackage> packages, (string File, string Version, string? Package)? kernel)
    {
        var content = new StringBuilder(imageName).Append('\n');
        foreach (var package in packages)
        {
            content.Append(package.Purl).Append('\t').Append(package.Supplier).Append('\t').Append(package.License).Append('\n');
        }

        content.Append(kernel?.File).Append('\t').Append(kernel?.Package).Append('\n');
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())));
        return $"https://xcatimagebuild.invalid/spdx/{Uri.EscapeDataString(imageName)}-{digest}";
    }
}
