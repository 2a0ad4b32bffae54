using System.Text.Json;

namespace XcatImageBuild.Registry;

/// <summary>An OCI image index as the referrers API and its tag fallback use it: a list of manifest descriptors.</summary>
public static class OciIndex
{
    /// <summary>The index's bytes: the descriptors in the order given.</summary>
    public static byte[] ToBytes(IReadOnlyList<OciDescriptor> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciMediaTypes.Index);
            writer.WriteStartArray("manifests");
            foreach (var manifest in manifests)
            {
                manifest.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The descriptors an index lists.</summary>
    /// <exception cref="InvalidDataException">It is not an image index.</exception>
    public static IReadOnlyList<OciDescriptor> Parse(byte[] content, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || OciDescriptor.StringField(root, "mediaType", where) != OciMediaTypes.Index
                || !root.TryGetProperty("manifests", out var manifests) || manifests.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{where} is not an OCI image index");
            }

            var index = 0;
            return [.. manifests.EnumerateArray().Select(m => OciDescriptor.Read(m, $"{where}'s entry {index++}"))];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where} is not valid JSON: {e.Message}", e);
        }
    }
}
