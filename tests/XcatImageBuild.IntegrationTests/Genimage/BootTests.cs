using System.Net;
using System.Net.Sockets;
using XcatImageBuild.Processes;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// The built kernel and initrd boot the root image in qemu: the image is packed with the real find, cpio and gzip,
/// then either appended to the initrd as one more cpio archive or served over HTTP for <c>imgurl=</c>; the image's
/// own check script, started as init, reports on the serial console and powers the machine off.
/// </summary>
[Collection(GenimageTestGroup.Name)]
public sealed class BootTests(DebianImageFixture image) : IDisposable
{
    private const string Marker = "XCATIMG-BOOTED args: debian12 x86_64 compute marker-argument root=tmpfs";

    private static readonly string[] UserNetwork = ["-nic", "user,model=virtio-net-pci"];
    private static readonly string[] NoNetwork = ["-nic", "none"];

    private readonly string _work = Directory.CreateTempSubdirectory("xcatimg-boot-").FullName;
    private readonly ProcessRunner _runner = new();

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public void The_initrd_boots_a_root_image_appended_to_it_into_a_tmpfs()
    {
        // Given the packed root appended to the initrd as /rootimg.cpio.gz
        var rootImage = PackRoot();
        _runner.Run(new ToolCommand("sh", ["-c", "cd \"$(dirname \"$1\")\" && echo rootimg.cpio.gz | cpio -o -H newc --quiet > \"$2\"", "sh", rootImage, Path.Combine(_work, "appended.cpio")]));
        var initrd = Path.Combine(_work, "initrd-with-root");
        using (var output = File.Create(initrd))
        {
            using (var initrdStateless = File.OpenRead(Path.Combine(image.ImageDirectory, "initrd-stateless.gz")))
            {
                initrdStateless.CopyTo(output);
            }

            // The kernel reads an uncompressed cpio archive only at a 4-byte boundary; it skips the zeros before it.
            output.Write(new byte[(4 - (output.Length % 4)) % 4]);
            using var appended = File.OpenRead(Path.Combine(_work, "appended.cpio"));
            appended.CopyTo(output);
        }

        // When qemu boots the kernel with it
        var console = Boot(initrd, string.Empty, network: false);

        // Then the image booted from a tmpfs and its postinstall marker is there
        Assert.True(console.Contains(Marker, StringComparison.Ordinal), "serial console:\n" + Tail(console));
    }

    [Fact]
    public void The_initrd_fetches_the_root_image_from_imgurl_over_http()
    {
        // Given the packed root served over HTTP on the host, which qemu's user network shows the guest as 10.0.2.2
        var rootImage = PackRoot();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(() => ServeOnce(listener, rootImage));

        // When qemu boots the kernel and the plain initrd with imgurl=
        var console = Boot(Path.Combine(image.ImageDirectory, "initrd-stateless.gz"), $"imgurl=http://10.0.2.2:{port}/rootimg.cpio.gz", network: true);

        // Then the initrd brought the network up, fetched the image, and the image booted from a tmpfs
        Assert.True(console.Contains(Marker, StringComparison.Ordinal), "serial console:\n" + Tail(console));
        Assert.True(server.IsCompletedSuccessfully, "the image was fetched");
    }

    private string PackRoot()
    {
        // What a boot does not need stays out, to keep the guest's memory small.
        var packed = Path.Combine(_work, "root", "rootimg.cpio.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(packed)!);
        _runner.Run(new ToolCommand("sh", ["-c",
            "cd \"$1\" && find . -xdev ! -path './usr/lib/modules/*' ! -path './boot/*' ! -path './usr/share/doc/*' ! -path './usr/share/locale/*' ! -path './usr/share/man/*' "
            + "| cpio -o -H newc --quiet | gzip -1 > \"$2\"",
            "sh", image.RootDirectory, packed]));
        return packed;
    }

    // Software emulation always: nested KVM on CI machines can hang a guest silently, and TCG boots this image in
    // well under a minute.
    private string Boot(string initrd, string kernelArguments, bool network)
    {
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);
        var serial = Path.Combine(_work, "serial.log");
        _runner.RunUnchecked(new ToolCommand("timeout", [
            "300", "qemu-system-x86_64", "-machine", "q35,accel=tcg", "-m", "1536", "-display", "none",
            "-no-reboot", "-monitor", "none", "-serial", $"file:{serial}",
            .. network ? UserNetwork : NoNetwork,
            "-kernel", Path.Combine(image.ImageDirectory, "kernel"), "-initrd", initrd,
            "-append", $"console=ttyS0 panic=-1 init=/usr/local/sbin/xcatimg-boot-check {kernelArguments}".TrimEnd()]));
        return File.Exists(serial) ? File.ReadAllText(serial) : string.Empty;
    }

    // A minimal HTTP/1.0 server for one GET: the initrd's client asks once.
    private static void ServeOnce(TcpListener listener, string file)
    {
        using var client = listener.AcceptTcpClient();
        using var stream = client.GetStream();
        var reader = new StreamReader(stream);
        while (!string.IsNullOrEmpty(reader.ReadLine()))
        {
        }

        var header = System.Text.Encoding.ASCII.GetBytes(
            $"HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {new FileInfo(file).Length}\r\nConnection: close\r\n\r\n");
        stream.Write(header);
        using var content = File.OpenRead(file);
        content.CopyTo(stream);
    }

    private static string Tail(string console) => string.Join('\n', console.Split('\n').TakeLast(60));
}
