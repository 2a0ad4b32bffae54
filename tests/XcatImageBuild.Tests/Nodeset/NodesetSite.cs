using System.Text;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Nodeset;

/// <summary>
/// A site with diskless images ready for nodeset (kernel, initrd and packed image in place) and nodes to set: the
/// names, addresses and images of xcat-spec §10's samples.
/// </summary>
internal sealed class NodesetSite : IDisposable
{
    public const string Rhel = "rhels9.4-x86_64-netboot-compute";
    public const string Debian = "debian12-x86_64-netboot-compute";
    public const string Statelite = "rhels9.4-x86_64-statelite-compute";
    public const string Ramdisk = "rhels9.4-x86_64-statelite-ramdisk";

    public NodesetSite()
    {
        Site.Run("chdef", "-t", "site", "master=10.0.0.1");
        DefineImage(Rhel, "rhels9.4", "netboot", "compute", efiStub: true, "rootimg.cpio.gz", "addkcmdline=rd.shell=0 nomodeset");
        DefineImage(Debian, "debian12", "netboot", "compute", efiStub: true, "rootimg.cpio.gz");
        DefineImage(Statelite, "rhels9.4", "statelite", "statelite", efiStub: false, "initrd-statelite.gz");
        DefineImage(Ramdisk, "rhels9.4", "statelite", "ramdisk", efiStub: true, "rootimg-statelite.gz", "rootfstype=ramdisk");
    }

    public TempSite Site { get; } = new();

    /// <summary>Defines an osimage and writes its kernel (with or without an EFI stub), initrd and the given extra file.</summary>
    public void DefineImage(string name, string osvers, string provmethod, string profile, bool efiStub, string packed, params string[] attributes)
    {
        var result = Site.Run([
            "mkdef", "-t", "osimage", "-o", name, "imagetype=linux", $"osvers={osvers}", "osarch=x86_64", $"profile={profile}",
            $"provmethod={provmethod}", "osname=Linux", .. attributes]);
        Assert.True(result.ExitCode == 0, result.Error);
        var directory = $"/install/netboot/{osvers}/x86_64/{profile}";
        var kernel = new byte[1024];
        Encoding.ASCII.GetBytes("MZ").CopyTo(kernel, 0);
        if (efiStub)
        {
            new byte[] { 0x50, 0x45, 0x00, 0x00, 0x64, 0x86 }.CopyTo(kernel, 0x80);
        }

        Directory.CreateDirectory(Site.Map(directory));
        File.WriteAllBytes(Site.Map($"{directory}/kernel"), kernel);
        Site.WriteFile($"{directory}/initrd-stateless.gz", "initrd of " + name);
        Site.WriteFile($"{directory}/{packed}", "packed " + name);
    }

    /// <summary>Defines a node with the given attributes.</summary>
    public void Node(string name, params string[] attributes)
    {
        var result = Site.Run(["mkdef", "-t", "node", name, "groups=compute,all", .. attributes]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    public string Read(string logicalPath) => File.ReadAllText(Site.Map(logicalPath));

    /// <summary>Every file under the tftp directory but the kernel and initrd copies, in one text: links and contents.</summary>
    public string TftpTree()
    {
        var root = Site.Map("/tftpboot");
        var text = new StringBuilder();
        if (!Directory.Exists(root))
        {
            return string.Empty;
        }

        foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = "/tftpboot/" + Path.GetRelativePath(root, path);
            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                text.Append($"== {relative} -> {target}\n");
            }
            else if (Directory.Exists(path))
            {
                continue;
            }
            else if (relative.Contains("/xcat/osimage/", StringComparison.Ordinal))
            {
                text.Append($"== {relative} ({info.Length} bytes)\n");
            }
            else
            {
                var links = XcatImageBuild.Formats.NativeFile.Stat(path, readExtendedAttributes: false).LinkCount;
                text.Append($"== {relative}{(links > 1 ? $" ({links} links)" : string.Empty)}\n{File.ReadAllText(path)}\n");
            }
        }

        return text.ToString();
    }

    public void Dispose() => Site.Dispose();
}
