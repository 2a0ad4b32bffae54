using XcatImageBuild.Images;

namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// The older design's bundle: a top-level <c>manifest.cfg</c> of <c>key value</c> lines (<c>name</c>, <c>os</c>,
/// <c>arch</c>, <c>profile</c>, <c>method</c>, <c>initrd</c>, <c>kernel</c>, <c>rootimg</c>, <c>template</c>, <c>media</c>, and
/// repeated <c>extra file:path</c>), the files it names beside it. That design placed the boot files in
/// <c>&lt;installdir&gt;/netboot/&lt;os&gt;/&lt;arch&gt;/&lt;profile&gt;/</c> and the template at
/// <c>&lt;installdir&gt;/custom/&lt;os&gt;/&lt;arch&gt;/&lt;profile&gt;.tmpl</c>. The reader turns it into the same model as
/// a manifest.xml, so import checks and commits both kinds of bundle alike.
/// </summary>
public static class ManifestCfgReader
{
    /// <summary>The manifest's name at the top of the bundle.</summary>
    public const string FileName = "manifest.cfg";

    private static readonly string[] Required = ["name", "os", "arch", "profile", "method"];

    private static readonly string[] Known = ["name", "os", "arch", "profile", "method", "initrd", "kernel", "rootimg", "template", "media", "extra"];

    /// <summary>Reads <c>manifest.cfg</c> from its text.</summary>
    /// <returns>The image's manifest, and for each logical file path it names the bundle member that holds it.</returns>
    /// <exception cref="XcatException">A line is malformed, a key is unknown or repeated, or a required key is missing.</exception>
    public static (ImageManifest Manifest, IReadOnlyDictionary<string, string> Members) Read(string text, string installDir)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(installDir);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var extras = new List<string>();
        var problems = new List<string>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var key = space < 0 ? line : line[..space];
            var value = space < 0 ? string.Empty : line[(space + 1)..].Trim();
            if (!Known.Contains(key, StringComparer.Ordinal))
            {
                problems.Add($"{FileName} line {lineNumber}: unknown key '{OsImageFields.Escape(key)}'.");
            }
            else if (value.Length == 0)
            {
                problems.Add($"{FileName} line {lineNumber}: '{key}' has no value.");
            }
            else if (key == "extra")
            {
                extras.Add(value);
            }
            else if (!values.TryAdd(key, value))
            {
                problems.Add($"{FileName} line {lineNumber}: '{key}' is given twice.");
            }
        }

        problems.AddRange(Required.Where(k => !values.ContainsKey(k)).Select(k => $"{FileName} has no '{k}' line."));
        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        installDir = installDir.TrimEnd('/');
        var (name, os, arch, profile, method) = (values["name"], values["os"], values["arch"], values["profile"], values["method"]);
        var manifest = new ImageManifest();
        manifest.OsImage["imagename"] = name;
        manifest.OsImage["profile"] = profile;
        manifest.OsImage["imagetype"] = "linux";
        manifest.OsImage["provmethod"] = method;
        manifest.OsImage["osname"] = "Linux";
        manifest.OsImage["osvers"] = os;
        manifest.OsImage["osarch"] = arch;
        manifest.LinuxImage["imagename"] = name;
        manifest.Media = values.GetValueOrDefault("media");

        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var bootDirectory = $"{installDir}/netboot/{os}/{arch}/{profile}";
        string? Boot(string key)
        {
            if (!values.TryGetValue(key, out var member))
            {
                return null;
            }

            var logical = $"{bootDirectory}/{member[(member.LastIndexOf('/') + 1)..]}";
            sources[logical] = member;
            return logical;
        }

        manifest.Ramdisk = Boot("initrd");
        manifest.Kernel = Boot("kernel");
        manifest.RootImg = Boot("rootimg");
        if (manifest.Ramdisk is not null || manifest.Kernel is not null || manifest.RootImg is not null)
        {
            manifest.LinuxImage["rootimgdir"] = bootDirectory;
        }

        if (values.TryGetValue("template", out var template))
        {
            var logical = $"{installDir}/custom/{os}/{arch}/{profile}.tmpl";
            sources[logical] = template;
            manifest.LinuxImage["template"] = logical;
        }

        foreach (var extra in extras)
        {
            var colon = extra.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || colon == extra.Length - 1)
            {
                throw new XcatException($"{FileName}: 'extra {OsImageFields.Escape(extra)}' is not of the form 'extra file:path'.");
            }

            manifest.Extras.Add(new ManifestExtra(extra[..colon], extra[(colon + 1)..]));
        }

        return (manifest, sources);
    }
}
