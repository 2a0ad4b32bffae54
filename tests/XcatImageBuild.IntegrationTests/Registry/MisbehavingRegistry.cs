using System.Net;
using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>
/// A tiny distribution-API server on loopback that serves one osimage artifact and misbehaves as told: the cases a
/// real registry will not produce on demand (a wrong digest, an oversized or cut-off blob, a token service).
/// </summary>
public sealed class MisbehavingRegistry : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public MisbehavingRegistry(Misbehaviour misbehaviour, string artifactType = "application/vnd.xcatimagebuild.osimage.v1")
    {
        Misbehaviour = misbehaviour;
        Blob = RandomNumberGenerator.GetBytes(256 << 10);
        BlobDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Blob));
        Manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"artifactType\":\"" + artifactType + "\"," +
            "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2}," +
            "\"layers\":[{\"mediaType\":\"application/vnd.xcatimagebuild.osimage.bundle.v1.tar+gzip\",\"digest\":\"" + BlobDigest + "\",\"size\":" + Blob.Length + "}]," +
            "\"annotations\":{\"xcatimagebuild.osimage.name\":\"hostile-image\"}}");
        Port = LoopbackPort.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public Misbehaviour Misbehaviour { get; set; }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public byte[] Blob { get; }

    public string BlobDigest { get; }

    public byte[] Manifest { get; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task Serve()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await Answer(context);
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
            {
                // The client went away; the next request is served all the same.
            }
        }
    }

    private async Task Answer(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        if (Misbehaviour == Misbehaviour.TokenAuth)
        {
            if (path == "/token")
            {
                var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:secret"));
                if (request.Headers["Authorization"] != basic)
                {
                    response.StatusCode = 401;
                    response.Close();
                    return;
                }

                await Send(response, 200, "application/json", Encoding.UTF8.GetBytes("{\"token\":\"t0ken\"}"));
                return;
            }

            if (request.Headers["Authorization"] != "Bearer t0ken")
            {
                response.AddHeader("WWW-Authenticate", $"Bearer realm=\"http://127.0.0.1:{Port}/token\",service=\"hostile\",scope=\"repository:x/y:pull\"");
                await Send(response, 401, "application/json", Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));
                return;
            }
        }

        if (path is "/v2/x/y/manifests/v1")
        {
            var digest = Misbehaviour == Misbehaviour.ManifestDigest
                ? "sha256:" + new string('0', 64)
                : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Manifest));
            response.AddHeader("Docker-Content-Digest", digest);
            await Send(response, 200, "application/vnd.oci.image.manifest.v1+json", Manifest);
            return;
        }

        if (path == $"/v2/x/y/blobs/{BlobDigest}")
        {
            response.StatusCode = 200;
            response.ContentType = "application/octet-stream";
            switch (Misbehaviour)
            {
                case Misbehaviour.LargerBlob:
                    // Chunked, so the client sees the excess only as it reads.
                    response.SendChunked = true;
                    await response.OutputStream.WriteAsync(Blob);
                    await response.OutputStream.WriteAsync(new byte[4096]);
                    response.Close();
                    return;
                case Misbehaviour.Interrupted:
                    response.ContentLength64 = Blob.Length;
                    await response.OutputStream.WriteAsync(Blob.AsMemory(0, Blob.Length / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    return;
                default:
                    await Send(response, 200, "application/octet-stream", Blob);
                    return;
            }
        }

        await Send(response, 404, "application/json", Encoding.UTF8.GetBytes("{\"errors\":[{\"code\":\"NOT_FOUND\",\"message\":\"no such thing\"}]}"));
    }

    private static async Task Send(HttpListenerResponse response, int status, string type, byte[] body)
    {
        response.StatusCode = status;
        response.ContentType = type;
        response.ContentLength64 = body.Length;
        await response.OutputStream.WriteAsync(body);
        response.Close();
    }
}

/// <summary>How <see cref="MisbehavingRegistry"/> misbehaves.</summary>
public enum Misbehaviour
{
    /// <summary>It does not: everything is served as declared.</summary>
    None,

    /// <summary>The manifest comes with a Docker-Content-Digest that is not its digest.</summary>
    ManifestDigest,

    /// <summary>The blob is longer than its manifest declares.</summary>
    LargerBlob,

    /// <summary>The blob's connection breaks off halfway.</summary>
    Interrupted,

    /// <summary>Everything asks for a Bearer token from the server's own token service (user alice, password secret).</summary>
    TokenAuth,
}
