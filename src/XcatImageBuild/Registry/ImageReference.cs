using System.Net;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Registry;

/// <summary>
/// A place in an OCI registry, <c>REGISTRY/REPO:TAG</c> or <c>REGISTRY/REPO@sha256:...</c>, as the distribution
/// specification spells it: the registry a host name with an optional port, the repository lowercase path components.
/// </summary>
/// <param name="Registry">The registry's host, with its port when one is given (<c>127.0.0.1:5000</c>).</param>
/// <param name="Repository">The repository (<c>site/debian12</c>).</param>
/// <param name="Tag">The tag, or null when the reference names a digest.</param>
/// <param name="Digest">The manifest's digest (<c>sha256:...</c>), or null when the reference names a tag.</param>
public sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    /// <summary>The tag or the digest: what the manifest endpoint takes.</summary>
    public string Reference => Digest ?? Tag!;

    /// <summary>The host without its port.</summary>
    public string Host
    {
        get
        {
            if (Registry.StartsWith('['))
            {
                return Registry[1..Registry.IndexOf(']', StringComparison.Ordinal)];
            }

            var colon = Registry.LastIndexOf(':');
            return colon < 0 ? Registry : Registry[..colon];
        }
    }

    /// <summary>Whether the registry is on this machine (localhost, 127.0.0.0/8, ::1): the only place plain HTTP is allowed.</summary>
    public bool IsLoopback => Host == "localhost" || (IPAddress.TryParse(Host, out var address) && IPAddress.IsLoopback(address));

    /// <summary>Whether <paramref name="text"/> reads as a registry reference rather than a file name: its first path
    /// component is a host (it has a dot or a port, or is <c>localhost</c>) and it names a tag or a digest.</summary>
    public static bool Looks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out _, out _);
    }

    /// <summary>Parses a reference.</summary>
    /// <exception cref="XcatException">It is not <c>REGISTRY/REPO:TAG</c> or <c>REGISTRY/REPO@sha256:HEX</c>; names the text.</exception>
    public static ImageReference Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var reference, out var problem)
            ? reference!
            : throw new XcatException($"'{text}' is not a registry reference: {problem}", 1, "Write REGISTRY/REPO:TAG, for example 127.0.0.1:5000/images/debian12:latest.");
    }

    /// <inheritdoc/>
    public override string ToString() => Digest is null ? $"{Registry}/{Repository}:{Tag}" : $"{Registry}/{Repository}@{Digest}";

    private static bool TryParse(string text, out ImageReference? reference, out string problem)
    {
        reference = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            problem = "it has no registry host before the first '/'";
            return false;
        }

        var registry = text[..slash];
        if (!RegistryPattern().IsMatch(registry) || !(registry.Contains('.', StringComparison.Ordinal) || registry.Contains(':', StringComparison.Ordinal) || registry == "localhost"))
        {
            problem = $"'{registry}' is not a registry host (a name with a dot or a port, or localhost)";
            return false;
        }

        var rest = text[(slash + 1)..];
        string? tag = null;
        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                problem = $"'{digest}' is not a sha256 digest";
                return false;
            }
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon < 0 || colon < rest.LastIndexOf('/'))
            {
                problem = "it names no tag (REPO:TAG)";
                return false;
            }

            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                problem = $"'{tag}' is not a tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')";
                return false;
            }
        }

        if (!RepositoryPattern().IsMatch(rest))
        {
            problem = $"'{rest}' is not a repository (lowercase letters, digits and separators, in '/'-separated parts)";
            return false;
        }

        problem = string.Empty;
        reference = new ImageReference(registry, rest, tag, digest);
        return true;
    }

    [GeneratedRegex(@"^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:[0-9]{1,5})?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex(@"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex DigestPattern();
}
