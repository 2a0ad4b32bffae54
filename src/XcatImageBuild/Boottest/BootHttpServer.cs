using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace XcatImageBuild.Boottest;

/// <summary>
/// The management node's web server for one boot: GET and HEAD of files under <c>/tftpboot/</c> (the site's tftp
/// directory, which xCAT's httpd aliases there whatever it is) and <c>/install/</c> (the install directory), on the
/// loopback address, where qemu's user network forwards the guest's connections to the host address. Nothing else is
/// served: a path with <c>..</c>, or one that leaves those directories through a link, is 404.
/// </summary>
internal sealed class BootHttpServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly IReadOnlyDictionary<string, string> _roots;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    /// <param name="port">The port (site.httpport).</param>
    /// <param name="roots">URL prefix (<c>tftpboot</c>, <c>install</c>) to the directory on disk.</param>
    /// <exception cref="XcatException">The port cannot be listened on.</exception>
    public BootHttpServer(int port, IReadOnlyDictionary<string, string> roots)
    {
        _roots = roots;
        _listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            _listener.Start();
        }
        catch (SocketException e)
        {
            throw new XcatException(
                $"Cannot serve HTTP on 127.0.0.1:{port} (site.httpport): {e.Message}",
                1,
                "Stop the web server using the port, or set another with 'chdef -t site httpport=<port>' and run nodeset again.",
                e);
        }

        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>Every request served, in order: <c>GET /path 200</c>.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _accepting.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var request = await ReadRequestLineAsync(stream).ConfigureAwait(false);
                var parts = request?.Split(' ') ?? [];
                if (parts.Length < 2 || parts[0] is not ("GET" or "HEAD"))
                {
                    await RespondAsync(stream, 405, "Method Not Allowed", null, false).ConfigureAwait(false);
                    return;
                }

                var file = Resolve(parts[1]);
                Requests.Enqueue($"{parts[0]} {parts[1]} {(file is null ? 404 : 200)}");
                await RespondAsync(stream, file is null ? 404 : 200, file is null ? "Not Found" : "OK", file, parts[0] == "GET").ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // The guest dropped the connection (iPXE retries on its own); nothing to answer.
            }
        }
    }

    // The request line, then the headers up to the blank line, which carry nothing this server needs.
    private static async Task<string?> ReadRequestLineAsync(NetworkStream stream)
    {
        var head = new StringBuilder();
        var buffer = new byte[1];
        while (head.Length < 16384)
        {
            if (await stream.ReadAsync(buffer).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Append((char)buffer[0]);
            if (head.Length >= 4 && head[^1] == '\n' && (head[^2] == '\n' || (head[^2] == '\r' && head[^3] == '\n')))
            {
                break;
            }
        }

        var text = head.ToString();
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return (end < 0 ? text : text[..end]).TrimEnd('\r');
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string reason, string? file, bool body)
    {
        var length = file is null ? 0 : new FileInfo(file).Length;
        var header = string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/octet-stream\r\nContent-Length: {length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(header)).ConfigureAwait(false);
        if (file is not null && body)
        {
            await using var content = File.OpenRead(file);
            await content.CopyToAsync(stream).ConfigureAwait(false);
        }
    }

    // xCAT writes URLs such as http://host:80//install/netboot/...: empty segments are dropped.
    private string? Resolve(string target)
    {
        var path = Uri.UnescapeDataString(target.Split('?', 2)[0]);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments.Any(s => s is "." or "..") || !_roots.TryGetValue(segments[0], out var root))
        {
            return null;
        }

        var file = Path.Combine([root, .. segments[1..]]);
        if (!File.Exists(file))
        {
            return null;
        }

        var real = new FileInfo(file).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(file);
        var realRoot = new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(root);
        return real.StartsWith(realRoot.TrimEnd('/') + "/", StringComparison.Ordinal) ? real : null;
    }
}
