using System.Text;
using System.Xml;
using System.Xml.Linq;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// Reads <c>manifest.xml</c> in every shape xCAT's importer (XML::Simple <c>XMLin</c> plus <c>manifest_adapter</c>)
/// accepts: one or several <c>&lt;extra&gt;</c> and <c>&lt;files&gt;</c>, kit rows unfolded with a <c>&lt;name&gt;</c>
/// child or nested under their name, children or attributes, and xCAT 2.7's flat format (xcat-spec §1.5).
/// A bundle is untrusted input, so DTDs (and with them entity definitions) are refused, and the document is bounded:
/// at most <see cref="MaxCharacters"/> characters, <see cref="MaxDepth"/> levels of elements and
/// <see cref="MaxNodes"/> elements and attributes, each checked as the reader reaches it, so a manifest nested
/// 200,000 deep or listing a million extras fails at the bound in time linear in what was read.
/// </summary>
public static class ManifestReader
{
    /// <summary>xCAT's message for a manifest it cannot parse (xcat-spec §1.7 step 3).</summary>
    public const string InvalidManifestMessage = "invalid manifest.xml file inside the bundle.  Please verify the XML";

    /// <summary>The most characters read: a manifest is a few kilobytes; this bounds what a hostile one can make us hold.</summary>
    public const long MaxCharacters = 16L * 1024 * 1024;

    /// <summary>The most levels of nested elements; xCAT's manifests use four (xcatimage, kit, a kit's name, its column).</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The most elements and attributes together: a manifest with 60,000 extras holds 180,001 elements; real ones
    /// hold a few dozen.
    /// </summary>
    public const int MaxNodes = 250_000;

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
            root = LoadBounded(reader);
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

    /// <summary>
    /// Builds the element tree as <see cref="XElement.Load(XmlReader)"/> would (text, CDATA and whitespace kept;
    /// comments, processing instructions and namespace declarations left out), counting depth and nodes as it goes.
    /// </summary>
    private static XElement LoadBounded(XmlReader reader)
    {
        XElement? root = null;
        var open = new Stack<XElement>();
        long nodes = 0;
        while (reader.Read())
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                    var element = new XElement(XName.Get(reader.LocalName, reader.NamespaceURI));
                    nodes += 1 + reader.AttributeCount;
                    if (nodes > MaxNodes)
                    {
                        throw new InvalidDataException(
                            $"{InvalidManifestMessage}: manifest.xml has more than {MaxNodes} elements and attributes (line {LineOf(reader)}); at most {MaxNodes} are read.");
                    }

                    if (open.Count >= MaxDepth)
                    {
                        throw new InvalidDataException(
                            $"{InvalidManifestMessage}: manifest.xml nests elements more than {MaxDepth} levels deep (line {LineOf(reader)}); at most {MaxDepth} are read.");
                    }

                    var empty = reader.IsEmptyElement;
                    while (reader.MoveToNextAttribute())
                    {
                        if (reader.NamespaceURI != XNamespace.Xmlns.NamespaceName)
                        {
                            element.Add(new XAttribute(XName.Get(reader.LocalName, reader.NamespaceURI), reader.Value));
                        }
                    }

                    if (open.TryPeek(out var parent))
                    {
                        parent.Add(element);
                    }
                    else
                    {
                        root = element;
                    }

                    if (!empty)
                    {
                        open.Push(element);
                    }

                    break;
                case XmlNodeType.EndElement:
                    open.Pop();
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when open.Count > 0:
                    open.Peek().Add(new XText(reader.Value));
                    break;
            }
        }

        return root ?? throw new XmlException("Root element is missing.");
    }

    private static string LineOf(XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo() ? info.LineNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?";

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
