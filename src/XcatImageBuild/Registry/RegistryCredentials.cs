using System.Text;
using System.Text.Json;

namespace XcatImageBuild.Registry;

/// <summary>
/// A user name and password for one registry: <c>--username</c> with the password from
/// <see cref="PasswordVariable"/>, else the registry's entry in <c>~/.docker/config.json</c> (what <c>docker login</c>
/// and <c>skopeo login</c> write). Sent only when the registry asks for them.
/// </summary>
/// <param name="Username">The user name.</param>
/// <param name="Password">The password or token.</param>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>The environment variable a password is read from.</summary>
    public const string PasswordVariable = "XCATIMG_REGISTRY_PASSWORD";

    /// <summary>The <c>Authorization: Basic</c> value.</summary>
    public string BasicValue => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));

    /// <summary>Finds the credentials for <paramref name="registry"/>, or null when none are given or stored.</summary>
    /// <param name="registry">The registry host and port.</param>
    /// <param name="username"><c>--username</c>, or null.</param>
    /// <param name="password">The value of <see cref="PasswordVariable"/>, or null.</param>
    /// <param name="dockerConfigPath">Where docker's config lives (<c>~/.docker/config.json</c>); null for none.</param>
    /// <exception cref="XcatException">A user name is given without a password anywhere, or the docker config is malformed.</exception>
    public static RegistryCredentials? Resolve(string registry, string? username, string? password, string? dockerConfigPath)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!string.IsNullOrEmpty(username) && !string.IsNullOrEmpty(password))
        {
            return new RegistryCredentials(username, password);
        }

        var stored = dockerConfigPath is not null && File.Exists(dockerConfigPath) ? FromDockerConfig(registry, dockerConfigPath) : null;
        if (string.IsNullOrEmpty(username))
        {
            return stored;
        }

        return stored is not null && stored.Username == username
            ? stored
            : throw new XcatException(
                $"No password for '{username}' at the registry {registry}: set {PasswordVariable}, or log in with `docker login {registry}`.");
    }

    private static RegistryCredentials? FromDockerConfig(string registry, string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (!document.RootElement.TryGetProperty("auths", out var auths) || auths.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            foreach (var entry in auths.EnumerateObject())
            {
                if (!SameRegistry(entry.Name, registry) || entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (entry.Value.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
                {
                    var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                    var colon = pair.IndexOf(':', StringComparison.Ordinal);
                    if (colon > 0)
                    {
                        return new RegistryCredentials(pair[..colon], pair[(colon + 1)..]);
                    }
                }

                if (entry.Value.TryGetProperty("username", out var user) && entry.Value.TryGetProperty("password", out var secret)
                    && user.GetString() is { Length: > 0 } name && secret.GetString() is { } value)
                {
                    return new RegistryCredentials(name, value);
                }
            }

            return null;
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new XcatException($"Cannot read the registry credentials in {path}: {e.Message}", e);
        }
    }

    // docker writes "host:port", "https://host:port" or "https://host/v1/" as the key.
    private static bool SameRegistry(string key, string registry)
    {
        var name = key;
        foreach (var scheme in new[] { "https://", "http://" })
        {
            if (name.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                name = name[scheme.Length..];
            }
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        return string.Equals(slash < 0 ? name : name[..slash], registry, StringComparison.OrdinalIgnoreCase);
    }
}
