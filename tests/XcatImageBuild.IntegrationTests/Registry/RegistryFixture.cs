using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>
/// The real registries the tests push to: the ones <c>.ci/run</c> started (named by <c>XCATIMG_TEST_REGISTRY</c>
/// and its companions), or, when the tests run by hand, three that <c>.ci/registry start</c> starts here and stops at
/// the end. The tests never skip for want of a registry.
/// </summary>
public sealed class RegistryFixture : IDisposable
{
    private static readonly string[] Names =
    [
        "XCATIMG_TEST_REGISTRY", "XCATIMG_TEST_AUTH_REGISTRY", "XCATIMG_TEST_AUTH_USER", "XCATIMG_TEST_AUTH_PASSWORD_FILE",
        "XCATIMG_TEST_TLS_REGISTRY", "XCATIMG_TEST_TLS_CA",
    ];

    private readonly string? _ownDirectory;

    public RegistryFixture()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Names)
        {
            if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
            {
                variables[name] = value;
            }
        }

        if (variables.Count < Names.Length)
        {
            _ownDirectory = Path.Combine(Path.GetTempPath(), $"xcatimg-registry-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            variables = Start(_ownDirectory);
        }

        Open = variables["XCATIMG_TEST_REGISTRY"];
        WithAuth = variables["XCATIMG_TEST_AUTH_REGISTRY"];
        User = variables["XCATIMG_TEST_AUTH_USER"];
        Password = File.ReadAllText(variables["XCATIMG_TEST_AUTH_PASSWORD_FILE"]).Trim();
        WithTls = variables["XCATIMG_TEST_TLS_REGISTRY"];
        TlsCa = variables["XCATIMG_TEST_TLS_CA"];
    }

    /// <summary>The registry that asks for the same basic credentials over TLS (host:port).</summary>
    public string WithTls { get; }

    /// <summary>The CA (PEM) that signed <see cref="WithTls"/>'s certificate, trusted by nothing else.</summary>
    public string TlsCa { get; }

    /// <summary>The registry anyone may push to (host:port).</summary>
    public string Open { get; }

    /// <summary>The registry that asks for basic credentials (host:port).</summary>
    public string WithAuth { get; }

    public string User { get; }

    public string Password { get; }

    /// <summary>The checkout's root (where .ci/ is).</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, ".ci", "registry")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Cannot find .ci/registry above the test assembly.");
    }

    /// <summary>Runs a tool (skopeo) and returns what it printed; a failure fails the test with its output.</summary>
    public static string Run(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? output.Result
            : throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
    }

    public void Dispose()
    {
        if (_ownDirectory is not null)
        {
            Run("bash", Path.Combine(RepositoryRoot(), ".ci", "registry"), "stop", _ownDirectory);
        }
    }

    private static Dictionary<string, string> Start(string directory)
    {
        var port = FreePortRun();
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), ".ci", "registry"));
        start.ArgumentList.Add("start");
        start.ArgumentList.Add(directory);
        start.Environment["XCATIMG_REGISTRY_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($".ci/registry start failed: {error}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Replace("export ", string.Empty, StringComparison.Ordinal).Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
    }

    private static int FreePortRun()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Loopback, 0);
            first.Start();
            var port = ((IPEndPoint)first.LocalEndpoint).Port;
            try
            {
                using var second = new TcpListener(IPAddress.Loopback, port + 1);
                second.Start();
                using var third = new TcpListener(IPAddress.Loopback, port + 2);
                third.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No three free loopback ports in a row.");
    }
}
