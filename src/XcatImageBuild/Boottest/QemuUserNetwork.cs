using System.Net;
using System.Net.Sockets;

namespace XcatImageBuild.Boottest;

/// <summary>
/// qemu's user-mode network laid out as the node's own network: the host (where qemu forwards connections, to the
/// loopback address) takes the management node's address as nodeset wrote it into the boot file, the node is offered
/// its own address by DHCP where it is on that /24, and the DHCP answer names the node's boot file in the tftp
/// directory, as xCAT's dhcpd does.
/// </summary>
internal sealed record QemuUserNetwork(IPAddress Host, IPAddress Network, IPAddress DhcpStart, IPAddress Dns)
{
    /// <summary>qemu's own layout, used when the boot file names the server only as <c>${next-server}</c>.</summary>
    public static readonly IPAddress DefaultHost = IPAddress.Parse("10.0.2.2");

    /// <summary>The layout around <paramref name="host"/>, giving <paramref name="node"/> to the guest where it fits.</summary>
    /// <exception cref="XcatException">The address cannot be a qemu user network's host.</exception>
    public static QemuUserNetwork Around(IPAddress host, IPAddress? node)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bytes = host.GetAddressBytes();
        if (host.AddressFamily != AddressFamily.InterNetwork || bytes[0] is 0 or 127 or >= 224 || bytes[3] is 0 or 255)
        {
            throw new XcatException($"The management node address {host} in the boot file cannot be a qemu user network's host address; boottest needs an IPv4 unicast address.");
        }

        IPAddress At(byte last) => new([bytes[0], bytes[1], bytes[2], last]);
        var network = At(0);
        byte start = 15;
        if (node is not null && node.AddressFamily == AddressFamily.InterNetwork && !node.Equals(host)
            && node.GetAddressBytes() is var n && n[0] == bytes[0] && n[1] == bytes[1] && n[2] == bytes[2] && n[3] is > 0 and < 239)
        {
            start = n[3];
        }
        else if (bytes[3] is >= 15 and <= 31)
        {
            start = 64;
        }

        // slirp hands out 16 addresses from dhcpstart; its DNS address must be none of them and not the host.
        byte dns = 254;
        while (dns == bytes[3] || (dns >= start && dns < start + 16))
        {
            dns--;
        }

        return new QemuUserNetwork(host, network, At(start), At(dns));
    }

    /// <summary>The <c>-netdev user,...</c> value.</summary>
    public string NetdevArgument(string id, string tftpRoot, string bootFile) =>
        $"user,id={id},net={Network}/24,host={Host},dhcpstart={DhcpStart},dns={Dns},tftp={Escape(tftpRoot)},bootfile={Escape(bootFile)}";

    // qemu's option syntax doubles a comma inside a value.
    private static string Escape(string value) => value.Replace(",", ",,", StringComparison.Ordinal);
}
