using System.Text.Json;

namespace XcatImageBuild.Registry;

/// <summary>
/// An OCI 1.1 image manifest of an artifact: its artifact type, config, layers, the manifest it refers to
/// (<c>subject</c>) and its annotations. Written compactly with keys in a fixed order and annotations sorted, so the
/// same artifact always has the same digest.
/// </summary>
public sealed record OciManifest(
    string ArtifactType,
    OciDescriptor Config,
    IReadOnlyList<OciDescriptor> Layers,
    OciDescriptor? Subject,
    IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>The manifest's bytes, as pushed; their SHA-256 is the manifest's digest.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schemaVersion", 2);
            writer.WriteString("mediaType", OciMediaTypes.Manifest);
            writer.WriteString("artifactType", ArtifactType);
            writer.WritePropertyName("config");
            Config.WriteTo(writer);
            writer.WriteStartArray("layers");
            foreach (var layer in Layers)
            {
                layer.WriteTo(writer);
            }

            writer.WriteEndArray();
            if (Subject is not null)
            {
                writer.WritePropertyName("subject");
                Subject.WriteTo(writer);
            }

            OciDescriptor.WriteAnnotations(writer, Annotations);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Parses a manifest a registry returned.</summary>
    /// <exception cref="InvalidDataException">It is not an OCI image manifest; names what is wrong.</exception>
    public static OciManifest Parse(ReadOnlySpan<byte> content, string where)
    {
        try
        {
            using var document = JsonDocument.Parse(content.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"{where} is not a JSON object");
            }

            var mediaType = OciDescriptor.StringField(root, "mediaType", where);
            if (mediaType != OciMediaTypes.Manifest)
            {
                throw new InvalidDataException($"{where} is a '{mediaType ?? "(no mediaType)"}', not an OCI image manifest");
            }

            var config = root.TryGetProperty("config", out var configElement)
                ? OciDescriptor.Read(configElement, $"{where}'s config")
                : throw new InvalidDataException($"{where} has no config");
            var artifactType = OciDescriptor.StringField(root, "artifactType", where) ?? config.MediaType;
            var layers = new List<OciDescriptor>();
            if (root.TryGetProperty("layers", out var layerArray) && layerArray.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var layer in layerArray.EnumerateArray())
                {
                    layers.Add(OciDescriptor.Read(layer, $"{where}'s layer {index++}"));
                }
            }

            var subject = root.TryGetProperty("subject", out var subjectElement) ? OciDescriptor.Read(subjectElement, $"{where}'s subject") : null;
            var annotations = OciDescriptor.ReadAnnotations(root, where) ?? new Dictionary<string, string>(StringComparer.Ordinal);
            return new OciManifest(artifactType, config, layers, subject, annotations);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where} is not valid JSON: {e.Message}", e);
        }
    }
}
