using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>
/// Debian's docker-registry configured for token authentication, as Docker Hub, Harbor and GitLab run it, with the
/// token service it sends clients to: on loopback, a service that checks one user's password and issues RS256 JWTs
/// for the scope asked, signed by a key whose self-signed certificate is the registry's <c>rootcertbundle</c>. The
/// registry itself checks every token (signature, issuer, audience, expiry, the access granted).
/// </summary>
public sealed class TokenRegistry : IDisposable
{
    private const string Service = "xcatimg-test-registry";
    private const string Issuer = "xcatimg-test-token-service";
    private readonly string _directory;
    private readonly RSA _key = RSA.Create(2048);
    private readonly string _certificate;
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly Process _registry;

    public TokenRegistry()
    {
        _directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"xcatimg-token-registry-{Environment.ProcessId}-{Guid.NewGuid():N}")).FullName;
        var request = new CertificateRequest("CN=" + Issuer, _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        _certificate = Convert.ToBase64String(certificate.RawData);
        File.WriteAllText(Path.Combine(_directory, "token.crt"), certificate.ExportCertificatePem() + "\n");
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

        var tokenPort = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{tokenPort}/");
        _listener.Start();
        _loop = Task.Run(Serve);

        Port = LoopbackPort.Free();
        File.WriteAllText(Path.Combine(_directory, "config.yml"), $"""
            version: 0.1
            log:
              level: warn
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {_directory}/storage
            http:
              addr: 127.0.0.1:{Port}
            auth:
              token:
                realm: http://127.0.0.1:{tokenPort}/token
                service: {Service}
                issuer: {Issuer}
                rootcertbundle: {_directory}/token.crt
            """);
        var start = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(Path.Combine(_directory, "config.yml"));
        _registry = Process.Start(start)!;
        _registry.OutputDataReceived += (_, _) => { };
        _registry.ErrorDataReceived += (_, _) => { };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        WaitUntilUp();
    }

    /// <summary>The registry (host:port), plain HTTP on loopback.</summary>
    public string Address => $"127.0.0.1:{Port}";

    public int Port { get; }

    public string User { get; } = "xcatimg";

    public string Password { get; }

    /// <summary>How many tokens the service issued, to show the client went through it.</summary>
    public int TokensIssued => _issued;

    private int _issued;

    public void Dispose()
    {
        try
        {
            _registry.Kill(entireProcessTree: true);
            _registry.WaitForExit();
        }
        catch (InvalidOperationException)
        {
        }

        _registry.Dispose();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _key.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private void WaitUntilUp()
    {
        using var http = new HttpClient();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var response = http.GetAsync(new Uri($"http://{Address}/v2/")).GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        throw new InvalidOperationException($"docker-registry with token auth did not answer on {Address}.");
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
            if (context.Request.Url?.AbsolutePath != "/token" || context.Request.Headers["Authorization"] != expected
                || context.Request.QueryString["service"] != Service)
            {
                response.StatusCode = 401;
                continue;
            }

            var body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["token"] = Token(context.Request.QueryString.GetValues("scope") ?? []),
                ["expires_in"] = 300,
            }));
            Interlocked.Increment(ref _issued);
            response.ContentType = "application/json";
            await response.OutputStream.WriteAsync(body).ConfigureAwait(false);
        }
    }

    // scope=repository:NAME:pull,push, as many as asked; every action asked is granted.
    private string Token(string[] scopes)
    {
        var access = scopes.SelectMany(scope => scope.Split(' ')).Select(scope => scope.Split(':'))
            .Where(parts => parts.Length == 3)
            .Select(parts => new Dictionary<string, object> { ["type"] = parts[0], ["name"] = parts[1], ["actions"] = parts[2].Split(',') })
            .ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT", ["x5c"] = new[] { _certificate } };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer, ["sub"] = User, ["aud"] = Service, ["exp"] = now + 300, ["nbf"] = now - 10, ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"), ["access"] = access,
        };
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signed + "." + Base64Url(_key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
