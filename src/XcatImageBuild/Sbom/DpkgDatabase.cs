using System.Text;

namespace XcatImageBuild.Sbom;

/// <summary>
/// The packages of a Debian or Ubuntu root from its own dpkg database, <c>var/lib/dpkg/status</c>: every paragraph
/// whose package is present (dpkg-query's list without the purged <c>not-installed</c> and the removed
/// <c>config-files</c> entries), with the licence its machine-readable copyright file declares.
/// </summary>
internal static class DpkgDatabase
{
    /// <summary>The status file inside a root.</summary>
    public const string StatusPath = "var/lib/dpkg/status";

    private const int MaxCopyrightBytes = 1 << 20;

    /// <summary>Reads the root's packages, sorted by name and architecture.</summary>
    /// <param name="root">The root tree on disk.</param>
    /// <param name="defaultVendor">The purl namespace when the root has no os-release (<c>debian</c>, <c>ubuntu</c>).</param>
    /// <exception cref="XcatException">The root has no dpkg status file, or a paragraph lacks its name, version or architecture.</exception>
    public static List<InstalledPackage> Read(string root, string defaultVendor)
    {
        var status = Path.Combine(root, StatusPath);
        if (!File.Exists(status))
        {
            throw new XcatException($"The image has no dpkg database: {status} does not exist.");
        }

        var release = OsRelease.Read(root);
        var vendor = release.Id ?? defaultVendor;
        var packages = new List<InstalledPackage>();
        var number = 0;
        foreach (var paragraph in Paragraphs(File.ReadAllText(status, Encoding.UTF8)))
        {
            number++;
            if (!IsPresent(paragraph.GetValueOrDefault("Status")))
            {
                continue;
            }

            var name = paragraph.GetValueOrDefault("Package");
            var version = paragraph.GetValueOrDefault("Version");
            var arch = paragraph.GetValueOrDefault("Architecture");
            if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(version) || string.IsNullOrEmpty(arch))
            {
                throw new XcatException($"The dpkg database {status} has an installed package without Package, Version or Architecture (paragraph {number}).");
            }

            packages.Add(new InstalledPackage(
                name,
                version,
                arch,
                Supplier(paragraph.GetValueOrDefault("Maintainer")),
                SpdxLicense.FromDeclared(DeclaredLicense(root, name)),
                PackageUrl.Create("deb", vendor, name, version, ("arch", arch), ("distro", release.Distro))));
        }

        return [.. packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal)];
    }

    /// <summary>The paragraphs of a deb822 file: fields by name, continuation lines joined with newlines.</summary>
    public static IEnumerable<Dictionary<string, string>> Paragraphs(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? last = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0)
            {
                if (fields.Count > 0)
                {
                    yield return fields;
                }

                fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                last = null;
                continue;
            }

            if (line[0] is ' ' or '\t')
            {
                if (last is not null)
                {
                    fields[last] += "\n" + line.Trim();
                }

                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                last = line[..colon];
                fields[last] = line[(colon + 1)..].Trim();
            }
        }

        if (fields.Count > 0)
        {
            yield return fields;
        }
    }

    // "install ok installed": the third word is the package's state. A purged package stays as not-installed and a
    // removed one as config-files; neither has its files in the image.
    private static bool IsPresent(string? status)
    {
        var words = (status ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words.Length == 3 && words[2] is not ("not-installed" or "config-files");
    }

    // "Debian GCC Maintainers <debian-gcc@lists.debian.org>" → SPDX's "Organization: name (email)".
    private static string? Supplier(string? maintainer)
    {
        if (string.IsNullOrWhiteSpace(maintainer))
        {
            return null;
        }

        var open = maintainer.IndexOf('<', StringComparison.Ordinal);
        var close = maintainer.LastIndexOf('>');
        return open >= 0 && close > open
            ? $"Organization: {maintainer[..open].Trim()} ({maintainer[(open + 1)..close].Trim()})"
            : $"Organization: {maintainer.Trim()}";
    }

    /// <summary>
    /// The <c>License:</c> of the <c>Files: *</c> paragraph (else of the header) of a machine-readable
    /// <c>usr/share/doc/&lt;package&gt;/copyright</c>; null when the file is missing or free-form.
    /// </summary>
    private static string? DeclaredLicense(string root, string package)
    {
        var docs = Path.Combine(root, "usr/share/doc");
        var directory = new DirectoryInfo(Path.Combine(docs, package));

        // A -dev or -common package often links its doc directory to its library's: followed only when the link
        // names a sibling, so nothing outside the root is read.
        if (directory.LinkTarget is { } target)
        {
            if (target.Contains('/', StringComparison.Ordinal) || target is "." or "..")
            {
                return null;
            }

            directory = new DirectoryInfo(Path.Combine(docs, target));
            if (directory.LinkTarget is not null)
            {
                return null;
            }
        }

        var copyright = new FileInfo(Path.Combine(directory.FullName, "copyright"));
        if (!copyright.Exists || copyright.LinkTarget is not null || copyright.Length > MaxCopyrightBytes)
        {
            return null;
        }

        var paragraphs = Paragraphs(File.ReadAllText(copyright.FullName, Encoding.UTF8)).ToList();
        if (paragraphs.Count == 0 || !(paragraphs[0].GetValueOrDefault("Format") ?? string.Empty).Contains("copyright-format", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var all = paragraphs.FirstOrDefault(p => (p.GetValueOrDefault("Files") ?? string.Empty).Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() == "*");
        var license = (all ?? paragraphs[0]).GetValueOrDefault("License");

        // The first line names the licence; the lines after it, when present, are its text.
        return license?.Split('\n')[0].Trim();
    }
}
