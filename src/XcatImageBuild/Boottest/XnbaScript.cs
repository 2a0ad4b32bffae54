using System.Net;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Boottest;

/// <summary>
/// What boottest reads from the xnba file nodeset wrote for a node: the state line, the URLs iPXE fetches the kernel
/// and initrd from, and the kernel command line with its <c>imgurl=</c> and serial console.
/// </summary>
internal sealed partial record XnbaScript(string State, IReadOnlyList<Uri> Fetches, string CommandLine)
{
    /// <summary>What iPXE puts for <c>${next-server}</c>: the DHCP server's next-server, the host of qemu's user network.</summary>
    private const string NextServer = "${next-server}";

    /// <summary>Reads an xnba file's text.</summary>
    /// <exception cref="XcatException">The text is not an xnba netboot script; the message names <paramref name="path"/>.</exception>
    public static XnbaScript Parse(string text, string path)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Split('\n');
        if (lines.Length < 2 || lines[0] != "#!gpxe" || !lines[1].StartsWith('#'))
        {
            throw new XcatException($"{path} is not an xnba boot file written by nodeset.");
        }

        var state = lines[1][1..].Trim();
        var fetches = new List<Uri>();
        string? commandLine = null;
        foreach (var line in lines.Skip(2))
        {
            if (line.StartsWith("imgfetch -n ", StringComparison.Ordinal) && line.Split(' ') is { Length: 4 } fetch)
            {
                fetches.Add(ParseUrl(fetch[3], path));
            }
            else if (line.StartsWith("imgargs kernel ", StringComparison.Ordinal))
            {
                commandLine = line["imgargs kernel ".Length..];
            }
        }

        if (state.StartsWith("netboot", StringComparison.Ordinal) && (fetches.Count < 2 || commandLine is null))
        {
            throw new XcatException($"{path} has no imgfetch of a kernel and an initrd, or no imgargs: it is not a netboot file nodeset wrote.");
        }

        return new XnbaScript(state, fetches, commandLine ?? string.Empty);
    }

    /// <summary>Whether the node is set to boot a diskless image (netboot or statelite), rather than <c>boot</c>.</summary>
    public bool BootsImage => State.StartsWith("netboot ", StringComparison.Ordinal) || State.StartsWith("statelite ", StringComparison.Ordinal);

    /// <summary>The <c>imgurl=</c> the initrd fetches the root from, or null.</summary>
    public Uri? ImageUrl => Argument("imgurl") is { } url && Uri.TryCreate(url.Replace(NextServer, "next-server", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri : null;

    /// <summary>
    /// The management node's address as the node sees it: the host of <c>imgurl=</c> when it is an address, else null
    /// (<c>${next-server}</c>, which is whatever address answers DHCP).
    /// </summary>
    public IPAddress? ServerAddress => ImageUrl is { } url && IPAddress.TryParse(url.Host, out var address) ? address : null;

    /// <summary>The serial port the kernel's console is on (<c>console=ttyS&lt;n&gt;,...</c>), or null.</summary>
    public int? SerialPort => SerialConsole().Match(CommandLine) is { Success: true } match ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : null;

    /// <summary>Every port the node fetches from over HTTP (the kernel, the initrd and imgurl=).</summary>
    public IEnumerable<int> HttpPorts => Fetches.Append(ImageUrl).OfType<Uri>().Select(u => u.Port).Distinct();

    private string? Argument(string name) =>
        CommandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];

    private static Uri ParseUrl(string text, string path) =>
        Uri.TryCreate(text.Replace(NextServer, "next-server", StringComparison.Ordinal), UriKind.Absolute, out var uri) && uri.Scheme == "http"
            ? uri
            : throw new XcatException($"{path} fetches {text}, which boottest cannot serve: only http URLs are served.");

    [GeneratedRegex(@"(?:^| )console=ttyS([0-9]+)")]
    private static partial Regex SerialConsole();
}
