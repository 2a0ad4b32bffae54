using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Registry;

/// <summary>Sending requests: authentication challenges answered once, failures turned into messages.</summary>
public sealed partial class RegistryClient
{
    // Sends the request; on a 401 answers the challenge and sends it once more. A 404 is returned when allowed,
    // every other failure throws.
    private HttpResponseMessage Send(
        HttpMethod method,
        string target,
        string scope,
        Func<HttpContent>? content,
        bool allowMissing = false,
        MediaTypeWithQualityHeaderValue[]? accept = null)
    {
        var uri = new Uri(_base, target);
        var response = SendOnce(method, uri, scope, content, accept);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            var challenge = response.Headers.WwwAuthenticate.FirstOrDefault();
            response.Dispose();
            Authorize(challenge, scope, uri);
            response = SendOnce(method, uri, scope, content, accept);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                response.Dispose();
                throw Refused(HttpStatusCode.Unauthorized, method, uri);
            }
        }

        if (response.IsSuccessStatusCode || (allowMissing && response.StatusCode == HttpStatusCode.NotFound))
        {
            return response;
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Forbidden)
            {
                throw Refused(HttpStatusCode.Forbidden, method, uri);
            }

            throw new XcatException($"The registry {Registry} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} to {method} {uri.AbsolutePath}{ErrorText(response)}");
        }
    }

    private HttpResponseMessage SendOnce(HttpMethod method, Uri uri, string scope, Func<HttpContent>? content, MediaTypeWithQualityHeaderValue[]? accept)
    {
        using var request = new HttpRequestMessage(method, uri);
        if (_authorizations.TryGetValue(scope, out var authorization))
        {
            request.Headers.Authorization = authorization;
        }

        foreach (var type in accept ?? [])
        {
            request.Headers.Accept.Add(type);
        }

        request.Content = content?.Invoke();
        return Transmit(request, uri);
    }

    private HttpResponseMessage Transmit(HttpRequestMessage request, Uri uri)
    {
        try
        {
            return _http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            if (e.InnerException is System.Security.Authentication.AuthenticationException && _trust.Refusal is { } refusal)
            {
                throw new XcatException(
                    $"The registry {Registry} ({uri.Scheme}://{uri.Authority}) has a TLS certificate that is not trusted: {refusal}.",
                    1,
                    $"Give its CA with --ca-cert FILE, or put it in {RegistryTrust.DockerCertificatePath(Registry)}"
                        + ".",
                    e);
            }

            throw new XcatException($"Cannot reach the registry {Registry} ({uri.Scheme}://{uri.Authority}): {Innermost(e)}", 1, uri.Scheme == "https" && uri.Host is "localhost" or "127.0.0.1" ? "A registry on loopback that speaks plain HTTP needs --insecure." : null, e);
        }
        catch (TaskCanceledException e)
        {
            throw new XcatException($"The registry {Registry} did not answer {request.Method} {uri.AbsolutePath}.", e);
        }
    }

    // Bearer: fetch a token for the scope from the realm the registry names, with the credentials when there are
    // some (anonymous otherwise). Basic: the credentials themselves.
    private void Authorize(AuthenticationHeaderValue? challenge, string scope, Uri uri)
    {
        if (challenge?.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase) == true)
        {
            _authorizations[scope] = _credentials is null
                ? throw new XcatException(
                    $"The registry {Registry} asks for credentials (HTTP 401 Unauthorized to {uri.AbsolutePath}) and none were given.",
                    1,
                    $"Pass --username and set {RegistryCredentials.PasswordVariable}, or log in with `docker login {Registry}`.")
                : new AuthenticationHeaderValue("Basic", _credentials.BasicValue);
            return;
        }

        if (challenge?.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new XcatException($"The registry {Registry} answered HTTP 401 Unauthorized to {uri.AbsolutePath} without a Basic or Bearer challenge.");
        }

        var parameters = ChallengeParameters(challenge.Parameter ?? string.Empty);
        if (!parameters.TryGetValue("realm", out var realm) || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri) || realmUri.Scheme is not ("https" or "http"))
        {
            throw new XcatException($"The registry {Registry} asks for a token without naming a valid token service (realm).");
        }

        if (realmUri.Scheme == "http" && _base.Scheme == "https")
        {
            throw new XcatException($"The registry {Registry} names a token service over plain HTTP ({realm}); credentials are not sent there.");
        }

        var query = new List<string>();
        if (parameters.TryGetValue("service", out var service))
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(parameters.GetValueOrDefault("scope") ?? scope));
        var tokenUri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;
        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (_credentials is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _credentials.BasicValue);
        }

        using var response = Transmit(request, tokenUri);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw Refused(response.StatusCode, HttpMethod.Get, tokenUri);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new XcatException($"The token service {tokenUri.GetLeftPart(UriPartial.Path)} of the registry {Registry} answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
        }

        _authorizations[scope] = new AuthenticationHeaderValue("Bearer", Token(ReadBounded(response, 1L << 20, "a token"), tokenUri));
    }

    private string Token(byte[] body, Uri tokenUri)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            foreach (var name in new[] { "token", "access_token" })
            {
                if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(name, out var token)
                    && token.ValueKind == JsonValueKind.String && token.GetString() is { Length: > 0 } value)
                {
                    return value;
                }
            }
        }
        catch (JsonException)
        {
            // Reported below with the token service's address.
        }

        throw new XcatException($"The token service {tokenUri.GetLeftPart(UriPartial.Path)} of the registry {Registry} answered without a token.");
    }

    private XcatException Refused(HttpStatusCode status, HttpMethod method, Uri uri)
    {
        var who = _credentials is null ? "anonymous access" : $"the credentials of '{_credentials.Username}'";
        return new XcatException(
            $"The registry {Registry} refused {who}: HTTP {(int)status} {(status == HttpStatusCode.Forbidden ? "Forbidden" : "Unauthorized")} to {method} {uri.AbsolutePath}.",
            1,
            _credentials is null ? $"Pass --username and set {RegistryCredentials.PasswordVariable}, or log in with `docker login {Registry}`." : null);
    }

    private static Dictionary<string, string> ChallengeParameters(string text)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in ChallengeParameter().Matches(text))
        {
            parameters[match.Groups[1].Value] = match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
        }

        return parameters;
    }

    private static string Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e.Message;
    }

    [GeneratedRegex("""([A-Za-z_]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))""")]
    private static partial Regex ChallengeParameter();
}
