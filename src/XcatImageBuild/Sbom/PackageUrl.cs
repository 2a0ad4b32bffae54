using System.Text;

namespace XcatImageBuild.Sbom;

/// <summary>Package URLs (purl) for dpkg and rpm packages: <c>pkg:&lt;type&gt;/&lt;namespace&gt;/&lt;name&gt;@&lt;version&gt;?&lt;qualifiers&gt;</c>.</summary>
internal static class PackageUrl
{
    /// <summary>A purl with its qualifiers sorted by key, as the purl specification's canonical form asks; empty values are left out.</summary>
    public static string Create(string type, string vendor, string name, string version, params (string Key, string? Value)[] qualifiers)
    {
        var text = new StringBuilder($"pkg:{type}/{Encode(vendor.ToLowerInvariant())}/{Encode(name)}@{Encode(version)}");
        var separator = '?';
        foreach (var (key, value) in qualifiers.Where(q => !string.IsNullOrEmpty(q.Value)).OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            text.Append(separator).Append(key).Append('=').Append(Encode(value!));
            separator = '&';
        }

        return text.ToString();
    }

    // Everything but the unreserved characters is percent-encoded: a dpkg epoch's ':' and a version's '+' included.
    private static string Encode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'.' or (byte)'-' or (byte)'_' or (byte)'~')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
