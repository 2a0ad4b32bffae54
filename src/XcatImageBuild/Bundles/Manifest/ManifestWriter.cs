using System.Text;
using Scriban;
using Scriban.Runtime;

namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// Writes <c>manifest.xml</c> byte for byte as xCAT writes it: Perl XML::Simple 2.25's <c>XMLout</c> with
/// <c>RootName =&gt; 'xcatimage'</c>, <c>noattr =&gt; 1</c> and the declaration <c>&lt;?xml version="1.0"?&gt;</c>
/// (xcat-spec §1.4 step 3, §1.5). The manifest is first turned into the Perl data xCAT builds, then rendered with
/// XML::Simple's rules, so quirks such as unfolded kit rows fall out of the same code; the elements, so ordered, are
/// laid out by the Scriban template <c>templates/bundle/manifest.xml.sbn</c>.
/// </summary>
public static class ManifestWriter
{
    private const string RootName = "xcatimage";

    // XML::Simple's default KeyAttr: a hash of hashes is unfolded into repeated elements whose first child is
    // <name>, and in any hash the first of these keys present is written before the sorted rest.
    private static readonly string[] KeyAttributes = ["name", "key", "id"];

    private static readonly Lazy<Template> Template = new(() =>
    {
        using var stream = typeof(ManifestWriter).Assembly.GetManifestResourceStream("templates/bundle/manifest.xml.sbn")!;
        using var reader = new StreamReader(stream);
        var template = Scriban.Template.Parse(reader.ReadToEnd(), "manifest.xml.sbn");
        return template.HasErrors ? throw new InvalidOperationException(string.Join("; ", template.Messages)) : template;
    });

    /// <summary>The manifest as XML text, ending with a newline.</summary>
    public static string ToXml(ImageManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var globals = new ScriptObject(StringComparer.Ordinal)
        {
            ["root"] = Element(RootName, ToPerlData(manifest), isRoot: true).Single(),
        };
        globals.Import("xml_escape", new Func<string, string>(Escape));
        var context = new TemplateContext { StrictVariables = true, EnableRelaxedMemberAccess = false };
        context.PushGlobal(globals);
        return Template.Value.Render(context);
    }

    /// <summary>The manifest as UTF-8 bytes without a byte order mark, as Perl prints the DB's bytes.</summary>
    public static byte[] ToBytes(ImageManifest manifest) => new UTF8Encoding(false).GetBytes(ToXml(manifest));

    /// <summary>Writes the manifest to a file, replacing it.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFile(ImageManifest manifest, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        File.WriteAllBytes(path, ToBytes(manifest));
    }

    // The hash imgexport's get_image_info, get_files, get_extra, get_postscripts and make_bundle build.
    private static Dictionary<string, object> ToPerlData(ImageManifest manifest)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal);
        if (manifest.OsImage.Count > 0)
        {
            data["osimage"] = Hash(manifest.OsImage);
        }

        if (manifest.LinuxImage.Count > 0)
        {
            data["linuximage"] = Hash(manifest.LinuxImage);
        }

        AddScalar(data, "kernel", manifest.Kernel);
        AddScalar(data, "ramdisk", manifest.Ramdisk);
        AddScalar(data, "rootimg", manifest.RootImg);
        AddScalar(data, "rootimgtree", manifest.RootImgTree);
        AddScalar(data, "litefile", manifest.LiteFile);
        AddScalar(data, "media", manifest.Media);
        AddScalar(data, "postscripts", manifest.Postscripts);
        AddScalar(data, "postbootscripts", manifest.Postbootscripts);
        if (manifest.Extras.Count > 0)
        {
            data["extra"] = manifest.Extras
                .Select(e => (object)new Dictionary<string, object>(StringComparer.Ordinal) { ["src"] = e.Src, ["dest"] = e.Dest })
                .ToList();
        }

        if (manifest.RawImageFiles.Count > 0)
        {
            data["rawimagefiles"] = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["files"] = manifest.RawImageFiles.Cast<object>().ToList(),
            };
        }

        AddKitRows(data, "kit", manifest.Kits);
        AddKitRows(data, "kitrepo", manifest.KitRepos);
        AddKitRows(data, "kitcomp", manifest.KitComponents);
        return data;
    }

    private static Dictionary<string, object> Hash(IEnumerable<KeyValuePair<string, string>> columns)
    {
        var hash = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (column, value) in columns)
        {
            hash[column] = value;
        }

        return hash;
    }

    private static void AddScalar(Dictionary<string, object> data, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            data[key] = value;
        }
    }

    private static void AddKitRows(Dictionary<string, object> data, string key, List<ManifestKitEntry> rows)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var byName = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            byName[row.Name] = Hash(row.Columns);
        }

        data[key] = byName;
    }

    // XML::Simple's value_to_xml for the noattr case: the elements a value becomes, in its order; the template lays
    // them out.
    private static IEnumerable<ScriptObject> Element(string name, object value, bool isRoot)
    {
        if (value is Dictionary<string, object> hash && !isRoot && hash.Count > 0 && hash.Values.All(v => v is Dictionary<string, object>))
        {
            value = Unfold(hash);
        }

        return value switch
        {
            string text => [Node(name, text, [])],
            List<object> items => items.SelectMany(item => Element(name, item, isRoot: false)),
            Dictionary<string, object> children => [Node(name, null, [.. SortedKeys(children).SelectMany(key => Element(key, children[key], isRoot: false))])],
            _ => throw new InvalidOperationException($"Unexpected manifest value of type {value.GetType().Name}."),
        };
    }

    private static ScriptObject Node(string name, string? text, ScriptArray children) =>
        new(StringComparer.Ordinal) { ["name"] = name, ["text"] = text, ["children"] = children };

    // hash_to_array: every value becomes its own element with the key injected as <name>; a column called
    // "name" in the value wins over the key, as Perl's { name => $key, %$value } does.
    private static List<object> Unfold(Dictionary<string, object> hash)
    {
        var rows = new List<object>();
        foreach (var key in hash.Keys.Order(StringComparer.Ordinal))
        {
            var row = new Dictionary<string, object>(StringComparer.Ordinal) { [KeyAttributes[0]] = key };
            foreach (var (column, value) in (Dictionary<string, object>)hash[key])
            {
                row[column] = value;
            }

            rows.Add(row);
        }

        return rows;
    }

    private static IEnumerable<string> SortedKeys(Dictionary<string, object> hash)
    {
        var first = KeyAttributes.FirstOrDefault(hash.ContainsKey);
        var rest = hash.Keys.Where(k => k != first).Order(StringComparer.Ordinal);
        return first is null ? rest : rest.Prepend(first);
    }

    // XML::Simple's escape_value: exactly these four; apostrophes stay as they are.
    private static string Escape(string text) => text
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal);
}
