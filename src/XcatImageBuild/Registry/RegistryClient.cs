using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

namespace XcatImageBuild.Registry;

/// <summary>
/// The OCI distribution API, as much of it as pushing and pulling artifacts needs: blobs (check, monolithic upload,
/// download), manifests (put, get) and the referrers list. Speaks HTTPS, or plain HTTP to a loopback registry when
/// asked to be insecure; answers a <c>Bearer</c> challenge with a token from the registry's token service and a
/// <c>Basic</c> one with the credentials given. Every digest that comes back is checked; every failure is an
/// <see cref="XcatException"/> naming the registry and, where there is one, the HTTP status.
/// </summary>
public sealed partial class RegistryClient : IDisposable
{
    private static readonly string[] ErrorFields = ["code", "message"];
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly RegistryCredentials? _credentials;
    private readonly RegistryTrust _trust;
    private readonly Dictionary<string, AuthenticationHeaderValue> _authorizations = new(StringComparer.Ordinal);

    /// <summary>A client for one registry.</summary>
    /// <param name="registry">The registry's host and port.</param>
    /// <param name="insecure">Plain HTTP instead of HTTPS; refused unless the registry is on loopback.</param>
    /// <param name="credentials">Sent when the registry asks for them; null for anonymous access.</param>
    /// <param name="handler">The HTTP handler; null for a default one, which trusts <paramref name="trust"/>'s authorities too.</param>
    /// <param name="trust">Certificate authorities beyond the system's; null for those of <see cref="RegistryTrust.For"/> without a CA file.</param>
    /// <exception cref="XcatException"><paramref name="insecure"/> for a registry that is not on loopback.</exception>
    public RegistryClient(ImageReference registry, bool insecure, RegistryCredentials? credentials, HttpMessageHandler? handler = null, RegistryTrust? trust = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (insecure && !registry.IsLoopback)
        {
            throw new XcatException(
                $"--insecure (plain HTTP) is allowed only for a registry on this machine, not {registry.Registry}.",
                1,
                "Serve the registry over TLS, or reach it through a loopback address.");
        }

        Registry = registry.Registry;
        _base = new Uri($"{(insecure ? "http" : "https")}://{registry.Registry}/");
        _credentials = credentials;
        _trust = trust ?? RegistryTrust.For(registry.Registry, null);
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(30),
            AllowAutoRedirect = true,
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, chain, errors) => _trust.Validate(certificate, chain, errors) },
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("xcatimg/1");
    }

    /// <summary>The registry's host and port, as every message names it.</summary>
    public string Registry { get; }

    /// <summary>Whether the repository holds the blob.</summary>
    /// <exception cref="XcatException">The registry cannot be reached or refuses the request.</exception>
    public bool BlobExists(string repository, string digest)
    {
        using var response = Send(HttpMethod.Head, $"v2/{repository}/blobs/{digest}", Scope(repository, push: false), null, allowMissing: true);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>Uploads a blob in one request (POST for a session, then PUT with its digest), unless the repository holds it already.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="blob">Its descriptor: the digest and size the registry must confirm.</param>
    /// <param name="open">Opens its content from the start (called again if the request has to be repeated).</param>
    /// <exception cref="XcatException">The registry cannot be reached, refuses the upload, or names another digest.</exception>
    public void PushBlob(string repository, OciDescriptor blob, Func<Stream> open)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(open);
        if (BlobExists(repository, blob.Digest))
        {
            return;
        }

        var scope = Scope(repository, push: true);
        Uri location;
        using (var started = Send(HttpMethod.Post, $"v2/{repository}/blobs/uploads/", scope, null))
        {
            location = started.Headers.Location is { } where
                ? new Uri(_base, where)
                : throw new XcatException($"The registry {Registry} started an upload to {repository} without naming where to send it (no Location header).");
        }

        var target = location + (location.Query.Length > 0 ? "&" : "?") + "digest=" + Uri.EscapeDataString(blob.Digest);
        using var put = Send(HttpMethod.Put, target, scope, () =>
        {
            var content = new StreamContent(open(), 1 << 20);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            content.Headers.ContentLength = blob.Size;
            return content;
        });
        RequireDigest(put, blob.Digest, $"the blob {blob.Digest}");
    }

    /// <summary>Stores a manifest under a tag or its digest.</summary>
    /// <returns>The digest the registry confirmed, and whether it declared the referrers API (an <c>OCI-Subject</c> header).</returns>
    /// <exception cref="XcatException">The registry cannot be reached, refuses the manifest, or names another digest.</exception>
    public (string Digest, bool ReferrersApi) PushManifest(string repository, string reference, byte[] content, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(content);
        var digest = OciDescriptor.DigestOf(content);
        using var response = Send(HttpMethod.Put, $"v2/{repository}/manifests/{reference}", Scope(repository, push: true), () =>
        {
            var body = new ByteArrayContent(content);
            body.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
            return body;
        });
        RequireDigest(response, digest, $"the manifest {repository}:{reference}");
        return (digest, response.Headers.Contains("OCI-Subject"));
    }

    /// <summary>
    /// Fetches a manifest by tag or digest and checks its digest: against the digest asked for, and against the
    /// <c>Docker-Content-Digest</c> the registry sends. Null when the registry has no such manifest and
    /// <paramref name="allowMissing"/> is set.
    /// </summary>
    /// <exception cref="XcatException">The registry cannot be reached or refuses; the manifest is missing, too large, or its digest does not match.</exception>
    public (byte[] Content, string MediaType, string Digest)? GetManifest(string repository, string reference, bool allowMissing = false)
    {
        const long MaxManifest = 4L << 20;
        using var response = Send(HttpMethod.Get, $"v2/{repository}/manifests/{reference}", Scope(repository, push: false), null, allowMissing, Accept(OciMediaTypes.Manifest, OciMediaTypes.Index));
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var content = ReadBounded(response, MaxManifest, $"the manifest {repository}:{reference}");
        var digest = OciDescriptor.DigestOf(content);
        var named = reference.StartsWith("sha256:", StringComparison.Ordinal) ? reference : null;
        var declared = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        foreach (var expected in new[] { named, declared })
        {
            if (expected is not null && expected != digest)
            {
                throw new XcatException($"The registry {Registry} sent a manifest for {repository}:{reference} whose digest is {digest}, not {expected}; nothing was written.");
            }
        }

        return (content, response.Content.Headers.ContentType?.MediaType ?? string.Empty, digest);
    }

    /// <summary>The referrers of a manifest through the referrers API, or null when the registry has no such API.</summary>
    /// <exception cref="XcatException">The registry cannot be reached or refuses.</exception>
    public byte[]? GetReferrers(string repository, string digest)
    {
        using var response = Send(HttpMethod.Get, $"v2/{repository}/referrers/{digest}", Scope(repository, push: false), null, allowMissing: true, Accept(OciMediaTypes.Index));
        return response.StatusCode == HttpStatusCode.NotFound
            || response.Content.Headers.ContentType?.MediaType != OciMediaTypes.Index
            ? null
            : ReadBounded(response, 4L << 20, $"the referrers of {digest}");
    }

    /// <summary>
    /// Streams a blob into <paramref name="destination"/>, checking as it goes that it is no longer than declared,
    /// and at the end that it is exactly as long and has its digest.
    /// </summary>
    /// <exception cref="XcatException">The download fails, breaks off, is larger than declared, or has another digest.</exception>
    public void DownloadBlob(string repository, OciDescriptor blob, Stream destination, Action<long>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(blob);
        ArgumentNullException.ThrowIfNull(destination);
        var what = $"the blob {blob.Digest} of {repository} from the registry {Registry}";
        using var response = Send(HttpMethod.Get, $"v2/{repository}/blobs/{blob.Digest}", Scope(repository, push: false), null);
        if (response.Content.Headers.ContentLength is { } length && length > blob.Size)
        {
            throw new XcatException($"The registry {Registry} sends {length} bytes for {what[9..]}, more than the {blob.Size} its manifest declares; nothing was written.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        long total = 0;
        try
        {
            using var body = response.Content.ReadAsStream();
            int read;
            while ((read = body.Read(buffer, 0, (int)Math.Min(buffer.Length, blob.Size - total + 1))) > 0)
            {
                total += read;
                if (total > blob.Size)
                {
                    throw new XcatException($"The registry {Registry} sends more than the {blob.Size} bytes declared for {what[9..]}; nothing was written.");
                }

                hash.AppendData(buffer, 0, read);
                destination.Write(buffer, 0, read);
                progress?.Invoke(total);
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new XcatException(string.Create(CultureInfo.InvariantCulture, $"The download of {what} broke off after {total} of {blob.Size} bytes ({e.Message}); nothing was written."), e);
        }

        if (total != blob.Size)
        {
            throw new XcatException(string.Create(CultureInfo.InvariantCulture, $"The download of {what} ended after {total} of the {blob.Size} bytes declared; nothing was written."));
        }

        var digest = "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
        if (digest != blob.Digest)
        {
            throw new XcatException($"The registry {Registry} sent {what[9..]} with the digest {digest}; nothing was written.");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private static string Scope(string repository, bool push) => $"repository:{repository}:{(push ? "pull,push" : "pull")}";

    private static MediaTypeWithQualityHeaderValue[] Accept(params string[] types) => [.. types.Select(t => new MediaTypeWithQualityHeaderValue(t))];

    private void RequireDigest(HttpResponseMessage response, string digest, string what)
    {
        if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { } confirmed && confirmed != digest)
        {
            throw new XcatException($"The registry {Registry} stored {what} under the digest {confirmed}, not {digest}.");
        }
    }

    private byte[] ReadBounded(HttpResponseMessage response, long max, string what)
    {
        if (response.Content.Headers.ContentLength is { } length && length > max)
        {
            throw new XcatException($"The registry {Registry} sends {length} bytes for {what}, more than the {max} a manifest may have.");
        }

        try
        {
            using var body = response.Content.ReadAsStream();
            using var buffer = new MemoryStream();
            var chunk = new byte[1 << 16];
            int read;
            while ((read = body.Read(chunk)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > max)
                {
                    throw new XcatException($"The registry {Registry} sends more than {max} bytes for {what}.");
                }
            }

            return buffer.ToArray();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new XcatException($"Reading {what} from the registry {Registry} broke off: {e.Message}", e);
        }
    }

    private static string ErrorText(HttpResponseMessage response)
    {
        try
        {
            var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                var messages = errors.EnumerateArray()
                    .Select(e => string.Join(": ", ErrorFields.Select(k => e.TryGetProperty(k, out var v) ? v.ToString() : null).Where(v => !string.IsNullOrEmpty(v))))
                    .Where(m => m.Length > 0)
                    .ToList();
                if (messages.Count > 0)
                {
                    return ": " + string.Join("; ", messages);
                }
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or InvalidOperationException)
        {
            // A body that is not the distribution API's error JSON says nothing more than the status.
        }

        return string.Empty;
    }
}
