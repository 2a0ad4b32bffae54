using System.Text;
using System.Xml;
using System.Xml.Linq;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// Reads <c>manifest.xml</c> in every shape xCAT's importer (XML::Simple <c>XMLin</c> plus <c>manifest_adapter</c>)
/// accepts: one or several <c>&lt;extra&gt;</c> and <c>&lt;files&gt;</c>, kit rows unfolded with a <c>&lt;name&gt;</c>
/// child or nested under their name, children or attributes, and xCAT 2.7's flat format (xcat-spec §1.5).
/// A bundle is untrusted input, so DTDs (and with them entity definitions) are refused.
/// </summary>
public static class ManifestReader
{
    /// <summary>xCAT's message for a manifest it cannot parse (xcat-spec §1.7 step 3).</summary>
    public const string InvalidManifestMessage = "invalid manifest.xml file inside the bundle.  Please verify the XML";

    // A manifest is a few kilobytes; this bounds what a hostile one can make us hold.
    private const long MaxCharacters = 16L * 1024 * 1024;

    private static readonly (string Element, string KeyColumn, Func<ImageManifest, List<ManifestKitEntry>> Rows)[] KitTables =
    [
        ("kit", "kitname", m => m.Kits),
        ("kitrepo", "kitreponame", m => m.KitRepos),
        ("kitcomp", "kitcompname", m => m.KitComponents),
    ];

    /// <summary>Reads a manifest file.</summary>
    /// <exception cref="InvalidDataException">The XML is malformed, declares a DTD, or a kit row has no name.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ImageManifest ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    /// <summary>Reads a manifest from XML text.</summary>
    /// <exception cref="InvalidDataException">The XML is malformed, declares a DTD, or a kit row has no name.</exception>
    public static ImageManifest Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        return Read(new MemoryStream(new UTF8Encoding(false).GetBytes(xml)));
    }

    /// <summary>Reads a manifest from a stream (left open).</summary>
    /// <exception cref="InvalidDataException">The XML is malformed, declares a DTD, or a kit row has no name.</exception>
    public static ImageManifest Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = MaxCharacters,
            CloseInput = false,
        };
        XElement root;
        try
        {
            using var reader = XmlReader.Create(stream, settings);
            root = XElement.Load(reader);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"{InvalidManifestMessage}: manifest.xml declares a DTD (<!DOCTYPE>), which is refused because it can define entities.", e);
        }
        catch (XmlException e)
        {
            throw new InvalidDataException($"{InvalidManifestMessage}: {e.Message}", e);
        }

        return FromXml(root);
    }

    private static ImageManifest FromXml(XElement root)
    {
        var manifest = new ImageManifest();
        var osImage = root.Elements("osimage").ToList();
        var linuxImage = root.Elements("linuximage").ToList();
        if (osImage.Count == 0 && linuxImage.Count == 0)
        {
            ReadFlatColumns(root, manifest);
        }
        else
        {
            osImage.ForEach(e => AddColumns(e, manifest.OsImage));
            linuxImage.ForEach(e => AddColumns(e, manifest.LinuxImage));
        }

        manifest.Kernel = Scalar(root, "kernel");
        manifest.Ramdisk = Scalar(root, "ramdisk");
        manifest.RootImg = Scalar(root, "rootimg");
        manifest.RootImgTree = Scalar(root, "rootimgtree");
        manifest.LiteFile = Scalar(root, "litefile");
        manifest.Media = Scalar(root, "media");
        if (osImage.Count > 0 || linuxImage.Count > 0)
        {
            // In the flat format these names are osimage columns and were moved there (manifest_adapter).
            manifest.Postscripts = Scalar(root, "postscripts");
            manifest.Postbootscripts = Scalar(root, "postbootscripts");
        }

        foreach (var extra in root.Elements("extra"))
        {
            var fields = Fields(extra);
            var src = fields.GetValueOrDefault("src");
            if (!string.IsNullOrEmpty(src))
            {
                manifest.Extras.Add(new ManifestExtra(src, fields.GetValueOrDefault("dest") ?? string.Empty));
            }
        }

        foreach (var files in root.Elements("rawimagefiles").SelectMany(r => r.Elements("files")))
        {
            var path = LeafText(files);
            if (!string.IsNullOrEmpty(path))
            {
                manifest.RawImageFiles.Add(path);
            }
        }

        foreach (var (element, keyColumn, rows) in KitTables)
        {
            foreach (var kit in root.Elements(element))
            {
                rows(manifest).AddRange(KitRows(kit, keyColumn));
            }
        }

        return manifest;
    }

    // manifest_adapter: with neither <osimage> nor <linuximage>, every top-level key that names a column moves
    // under that table; imagename (and comments, disable) are columns of both and land in both.
    private static void ReadFlatColumns(XElement root, ImageManifest manifest)
    {
        var fields = Fields(root);
        foreach (var column in XcatSchema.OsImage.Columns)
        {
            if (fields.TryGetValue(column, out var value))
            {
                manifest.OsImage[column] = value;
            }
        }

        foreach (var column in XcatSchema.LinuxImage.Columns)
        {
            if (fields.TryGetValue(column, out var value))
            {
                manifest.LinuxImage[column] = value;
            }
        }
    }

    private static void AddColumns(XElement element, OrderedDictionary<string, string> columns)
    {
        foreach (var (column, value) in Fields(element))
        {
            columns[column] = value;
        }
    }

    // The leaf children and attributes of an element, as XMLin makes hash keys of both; the first of a
    // repeated name wins and empty elements carry no value.
    private static OrderedDictionary<string, string> Fields(XElement element)
    {
        var fields = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration))
        {
            fields.TryAdd(attribute.Name.LocalName, attribute.Value);
        }

        foreach (var child in element.Elements())
        {
            var text = LeafText(child);
            if (!string.IsNullOrEmpty(text))
            {
                fields.TryAdd(child.Name.LocalName, text);
            }
        }

        return fields;
    }

    private static string? Scalar(XElement root, string name)
    {
        var element = root.Element(name);
        var text = element is null ? null : LeafText(element);
        return string.IsNullOrEmpty(text) ? null : text;
    }

    private static string? LeafText(XElement element) => element.HasElements ? null : element.Value;

    // A kit row is either unfolded (<kit><name>K</name><kitdir>..</kitdir></kit>, what XMLout writes), or nested
    // under its name (<kit><K><kitdir>..</kitdir></K></kit>, a hash of hashes written without unfolding). A single
    // unfolded row has no <name> when XMLin folded it away earlier; its key column names it then.
    private static IEnumerable<ManifestKitEntry> KitRows(XElement element, string keyColumn)
    {
        var fields = Fields(element);
        if (fields.Remove("name", out var name))
        {
            return [new ManifestKitEntry(name, fields)];
        }

        var nested = element.Elements().Where(e => e.HasElements).ToList();
        if (nested.Count > 0)
        {
            return nested.Select(e => new ManifestKitEntry(e.Name.LocalName, Fields(e)));
        }

        if (fields.TryGetValue(keyColumn, out var key))
        {
            return [new ManifestKitEntry(key, fields)];
        }

        throw new InvalidDataException(
            $"{InvalidManifestMessage}: a <{element.Name.LocalName}> entry has neither a <name> nor a <{keyColumn}>.");
    }
}
