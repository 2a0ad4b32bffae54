using System.Security.Cryptography;
using System.Text.Json;

namespace XcatImageBuild.Registry;

/// <summary>An OCI content descriptor: what a manifest says about a blob or another manifest.</summary>
/// <param name="MediaType">The content's media type.</param>
/// <param name="Digest">Its digest, <c>sha256:HEX</c>.</param>
/// <param name="Size">Its length in bytes.</param>
/// <param name="ArtifactType">For a manifest listed in an index: its artifact type.</param>
/// <param name="Annotations">Its annotations, written sorted by key.</param>
/// <param name="Data">The content itself, embedded (the empty config).</param>
public sealed record OciDescriptor(
    string MediaType,
    string Digest,
    long Size,
    string? ArtifactType = null,
    IReadOnlyDictionary<string, string>? Annotations = null,
    byte[]? Data = null)
{
    /// <summary>The empty config every artifact without a config of its own names (image-spec 1.1's empty descriptor).</summary>
    public static OciDescriptor EmptyConfig { get; } = new(OciMediaTypes.Empty, DigestOf("{}"u8), 2, Data: "{}"u8.ToArray());

    /// <summary>The <c>sha256:HEX</c> digest of <paramref name="content"/>.</summary>
    public static string DigestOf(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Writes the descriptor as a JSON object, keys in a fixed order, so equal descriptors give equal bytes.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("mediaType", MediaType);
        if (ArtifactType is not null)
        {
            writer.WriteString("artifactType", ArtifactType);
        }

        writer.WriteString("digest", Digest);
        writer.WriteNumber("size", Size);
        if (Data is not null)
        {
            writer.WriteBase64String("data", Data);
        }

        WriteAnnotations(writer, Annotations);
        writer.WriteEndObject();
    }

    /// <summary>Reads a descriptor object, checking its digest's form and its size.</summary>
    /// <exception cref="InvalidDataException">A field is missing or malformed; names it.</exception>
    public static OciDescriptor Read(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"{where} is not a JSON object");
        }

        var mediaType = StringField(element, "mediaType", where) ?? throw new InvalidDataException($"{where} has no mediaType");
        var digest = StringField(element, "digest", where) ?? throw new InvalidDataException($"{where} has no digest");
        if (digest.Length != 71 || !digest.StartsWith("sha256:", StringComparison.Ordinal) || !digest[7..].All(char.IsAsciiHexDigitLower))
        {
            throw new InvalidDataException($"{where} has the digest '{digest}', which is not sha256:<64 lowercase hex>");
        }

        if (!element.TryGetProperty("size", out var sizeElement) || !sizeElement.TryGetInt64(out var size) || size < 0)
        {
            throw new InvalidDataException($"{where} has no valid size");
        }

        return new OciDescriptor(mediaType, digest, size, StringField(element, "artifactType", where), ReadAnnotations(element, where));
    }

    internal static Dictionary<string, string>? ReadAnnotations(JsonElement element, string where)
    {
        if (!element.TryGetProperty("annotations", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            annotations[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw new InvalidDataException($"{where} has the annotation '{property.Name}' that is not a string");
        }

        return annotations;
    }

    internal static void WriteAnnotations(Utf8JsonWriter writer, IReadOnlyDictionary<string, string>? annotations)
    {
        if (annotations is null || annotations.Count == 0)
        {
            return;
        }

        writer.WriteStartObject("annotations");
        foreach (var (key, value) in annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }

    internal static string? StringField(JsonElement element, string name, string where) =>
        !element.TryGetProperty(name, out var value) ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new InvalidDataException($"{where} has a '{name}' that is not a string");
}
