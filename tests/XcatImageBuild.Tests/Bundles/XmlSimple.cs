using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Runs Perl's XML::Simple (Debian package libxml-simple-perl), the library xCAT writes and reads manifest.xml with.
/// </summary>
internal static class XmlSimple
{
    // imgport.pm's make_bundle: new XML::Simple(RootName => 'xcatimage'), XMLout($attribs, noattr => 1, xmldecl => ...).
    // JSON escapes non-ASCII text, so the decoded strings are characters; printing them as UTF-8 gives the bytes
    // xCAT prints for the UTF-8 bytes DBI hands it.
    private const string XmlOutScript = """
        use strict; use XML::Simple; use JSON::PP;
        local $/; my $data = JSON::PP->new->utf8(0)->decode(<STDIN>); binmode STDOUT, ':encoding(UTF-8)';
        my $xml = new XML::Simple(RootName => 'xcatimage');
        print $xml->XMLout($data, noattr => 1, xmldecl => '<?xml version="1.0"?>');
        """;

    // imgport.pm's extract_bundle: new XML::Simple; XMLin($file), defaults only.
    private const string XmlInScript = """
        use strict; use XML::Simple; use JSON::PP;
        my $xml = new XML::Simple;
        print JSON::PP->new->utf8(1)->canonical->encode($xml->XMLin($ARGV[0]));
        """;

    /// <summary>What XML::Simple writes for xCAT's hash of this manifest.</summary>
    public static byte[] XmlOut(ImageManifest manifest)
    {
        var input = new MemoryStream(Encoding.UTF8.GetBytes(PerlData(manifest).ToJsonString()));
        var output = new MemoryStream();
        new ProcessRunner().RunStreaming(new ToolCommand("perl", ["-e", XmlOutScript]), input, output);
        return output.ToArray();
    }

    /// <summary>The Perl structure xCAT's importer gets from XMLin on a manifest file, as JSON.</summary>
    public static JsonNode XmlIn(string path)
    {
        var result = new ProcessRunner().Run(new ToolCommand("perl", ["-e", XmlInScript, path]));
        return JsonNode.Parse(result.StandardOutput)!;
    }

    // The hash get_image_info / get_files / get_extra / get_postscripts / make_bundle build (imgport.pm).
    private static JsonObject PerlData(ImageManifest manifest)
    {
        var data = new JsonObject();
        if (manifest.OsImage.Count > 0)
        {
            data["osimage"] = Columns(manifest.OsImage);
        }

        if (manifest.LinuxImage.Count > 0)
        {
            data["linuximage"] = Columns(manifest.LinuxImage);
        }

        foreach (var (key, value) in new[]
                 {
                     ("kernel", manifest.Kernel), ("ramdisk", manifest.Ramdisk), ("rootimg", manifest.RootImg),
                     ("rootimgtree", manifest.RootImgTree), ("litefile", manifest.LiteFile), ("media", manifest.Media),
                     ("postscripts", manifest.Postscripts), ("postbootscripts", manifest.Postbootscripts),
                 })
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }

        if (manifest.Extras.Count > 0)
        {
            data["extra"] = new JsonArray([.. manifest.Extras.Select(e => (JsonNode)new JsonObject { ["src"] = e.Src, ["dest"] = e.Dest })]);
        }

        if (manifest.RawImageFiles.Count > 0)
        {
            data["rawimagefiles"] = new JsonObject { ["files"] = new JsonArray([.. manifest.RawImageFiles.Select(f => (JsonNode)f)]) };
        }

        foreach (var (key, rows) in new[] { ("kit", manifest.Kits), ("kitrepo", manifest.KitRepos), ("kitcomp", manifest.KitComponents) })
        {
            if (rows.Count > 0)
            {
                var byName = new JsonObject();
                rows.ForEach(r => byName[r.Name] = Columns(r.Columns));
                data[key] = byName;
            }
        }

        return data;
    }

    private static JsonObject Columns(IEnumerable<KeyValuePair<string, string>> columns)
    {
        var hash = new JsonObject();
        foreach (var (column, value) in columns)
        {
            hash[column] = value;
        }

        return hash;
    }

    /// <summary>A JSON string value, for assertions.</summary>
    public static string? Text(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
}
