using XcatImageBuild.Tables;

namespace XcatImageBuild.Testing;

/// <summary>A netboot osimage defined in a <see cref="TempSite"/>, with a small rootimg tree to pack.</summary>
public sealed class NetbootImage
{
    public const string Name = "debian12-x86_64-netboot-compute";

    public NetbootImage(TempSite site, IReadOnlyDictionary<string, string?>? osimage = null, IReadOnlyDictionary<string, string?>? linuximage = null)
    {
        Site = site;
        site.Site.Database.Write(s =>
        {
            var os = new Dictionary<string, string?> { ["profile"] = "compute", ["provmethod"] = "netboot", ["osvers"] = "debian12", ["osarch"] = "x86_64", ["imagetype"] = "linux" };
            foreach (var (key, value) in osimage ?? new Dictionary<string, string?>())
            {
                os[key] = value;
            }

            s.Set(XcatSchema.OsImage, [Name], os);
            s.Set(XcatSchema.LinuxImage, [Name], new Dictionary<string, string?>(linuximage ?? new Dictionary<string, string?>()));
            return 0;
        });
    }

    public TempSite Site { get; }

    /// <summary>The logical root image directory.</summary>
    public string Directory { get; } = "/install/netboot/debian12/x86_64/compute";

    /// <summary>The rootimg directory on disk.</summary>
    public string RootImg => Site.Map(Directory + "/rootimg");

    /// <summary>A file in the root image directory on disk (rootimg.cpio.gz...).</summary>
    public string Output(string name) => Site.Map($"{Directory}/{name}");

    /// <summary>Writes a small tree: a few files, a symlink, /etc/shadow and docs to exclude.</summary>
    public NetbootImage WithTree()
    {
        WriteImageFile("etc/hostname", "node\n");
        WriteImageFile("etc/shadow", "root:!:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        WriteImageFile("usr/bin/tool", "#!/bin/sh\necho tool\n");
        File.SetUnixFileMode(Path.Combine(RootImg, "usr/bin/tool"), (UnixFileMode)0x1ED);
        WriteImageFile("usr/share/doc/tool/README", "docs\n");
        WriteImageFile("usr/share/zoneinfo/UTC", "TZif2\n");
        WriteImageFile(".statelite/litefile.save", "x\n");
        System.IO.Directory.CreateDirectory(Path.Combine(RootImg, "var/empty"));
        File.CreateSymbolicLink(Path.Combine(RootImg, "usr/bin/alias"), "tool");
        return this;
    }

    public void WriteImageFile(string relative, string text)
    {
        var path = Path.Combine(RootImg, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Runs packimage on this image.</summary>
    public CliResult Pack(params string[] args) => Site.Run(["packimage", .. args, Name]);
}

/// <summary>Table writes for tests, one transaction each.</summary>
public static class TempSiteTables
{
    public static void SetRows(this TempSite site, Action<TableSession> change) =>
        site.Site.Database.Write(s =>
        {
            change(s);
            return 0;
        });
}
