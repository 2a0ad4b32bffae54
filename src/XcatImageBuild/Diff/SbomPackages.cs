using System.Text.Json;

namespace XcatImageBuild.Diff;

/// <summary>The packages of an SPDX 2.3 JSON SBOM (<c>image.spdx.json</c>): name, version and the purl's arch.</summary>
public static class SbomPackages
{
    /// <summary>Reads the packages: <c>name</c>, or <c>name:arch</c> when the purl carries <c>arch=</c>, to <c>versionInfo</c>.</summary>
    /// <exception cref="InvalidDataException">It is not SPDX JSON with a packages array; names the source.</exception>
    public static SortedDictionary<string, string> Read(ReadOnlySpan<byte> json, string where)
    {
        var packages = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("packages", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"The SBOM {where} has no packages array.");
            }

            foreach (var package in list.EnumerateArray())
            {
                if (package.ValueKind != JsonValueKind.Object || !package.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    continue;
                }

                var version = package.TryGetProperty("versionInfo", out var info) && info.ValueKind == JsonValueKind.String ? info.GetString()! : string.Empty;
                var arch = Arch(package);
                packages[arch is null ? name.GetString()! : $"{name.GetString()}:{arch}"] = version;
            }

            return packages;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The SBOM {where} is not valid JSON: {e.Message}", e);
        }
    }

    private static string? Arch(JsonElement package)
    {
        if (!package.TryGetProperty("externalRefs", out var references) || references.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var reference in references.EnumerateArray())
        {
            if (reference.ValueKind == JsonValueKind.Object && reference.TryGetProperty("referenceType", out var type) && type.ValueKind == JsonValueKind.String
                && type.GetString() == "purl" && reference.TryGetProperty("referenceLocator", out var locator) && locator.GetString() is { } purl)
            {
                var query = purl.IndexOf('?', StringComparison.Ordinal);
                var qualifiers = query < 0 ? [] : purl[(query + 1)..].Split('#')[0].Split('&');
                return qualifiers.FirstOrDefault(q => q.StartsWith("arch=", StringComparison.Ordinal))?[5..];
            }
        }

        return null;
    }
}
