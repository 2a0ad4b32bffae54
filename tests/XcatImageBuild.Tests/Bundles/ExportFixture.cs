using XcatImageBuild.Cli;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>A site holding images as copycds, genimage and packimage leave them, for export tests.</summary>
internal sealed class ExportFixture : IDisposable
{
    public const string Netboot = "rhels8.5.0-x86_64-netboot-compute";
    public const string Statelite = "rhels8.5.0-x86_64-statelite-compute";
    public const string Install = "rhels8.5.0-x86_64-install-compute";
    public const string RootImgDir = "/install/netboot/rhels8.5.0/x86_64/compute";
    public const string Pkglist = "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist";

    public ExportFixture()
    {
        Output = System.IO.Directory.CreateTempSubdirectory("xcatimg-out-").FullName;
    }

    public TempSite Site { get; } = new();

    /// <summary>Where bundles are written (the working directory of the export).</summary>
    public string Output { get; }

    public void AddNetbootImage()
    {
        SetImage(Netboot, "netboot", new() { ["rootimgdir"] = RootImgDir, ["pkglist"] = Pkglist, ["exlist"] = "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.exlist" });
        Site.WriteFile(Pkglist, "bash\nkernel\n");
        Site.WriteFile("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.exlist", "./usr/share/man*\n");
        WriteBytes(RootImgDir + "/kernel", 7001, 1);
        WriteBytes(RootImgDir + "/initrd-stateless.gz", 30011, 2);
        WriteBytes(RootImgDir + "/rootimg.cpio.gz", 200003, 3);
    }

    public void AddStateliteImage()
    {
        SetImage(Statelite, "statelite", new() { ["rootimgdir"] = RootImgDir, ["pkglist"] = Pkglist });
        Site.WriteFile(Pkglist, "bash\n");
        WriteBytes(RootImgDir + "/kernel", 5000, 4);
        WriteBytes(RootImgDir + "/initrd-statelite.gz", 6000, 5);
        Site.WriteFile(RootImgDir + "/rootimg/etc/hostname", "node\n");
        Site.WriteFile(RootImgDir + "/rootimg/usr/bin/tool", "#!/bin/sh\n");
        Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.LiteFile, ["ALL", "/etc/adjtime"], new Dictionary<string, string?> { ["options"] = string.Empty });
            s.Set(XcatSchema.LiteFile, ["ALL", "/var/log/"], new Dictionary<string, string?> { ["options"] = "persistent" });
            s.Set(XcatSchema.LiteFile, [Statelite, "/etc/ntp.conf"], new Dictionary<string, string?> { ["options"] = "rw" });
            s.Set(XcatSchema.LiteFile, ["other-image", "/etc/other"], new Dictionary<string, string?> { ["options"] = "rw" });
            return 0;
        });
    }

    public void AddInstallImage()
    {
        SetImage(Install, "install", new() { ["pkglist"] = "/opt/xcat/share/xcat/install/rh/compute.rhels8.pkglist" });
        Site.WriteFile("/opt/xcat/share/xcat/install/rh/compute.rhels8.pkglist", "@core\n");
        Site.WriteFile("/opt/xcat/share/xcat/install/rh/compute.rhels8.5.0.tmpl", "# kickstart\n");
    }

    public void SetImage(string name, string provmethod, Dictionary<string, string?> linux, Dictionary<string, string?>? extraOs = null)
    {
        Site.Site.Database.Write(s =>
        {
            var os = new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["imagetype"] = "linux",
                ["provmethod"] = provmethod,
                ["osname"] = "Linux",
                ["osvers"] = "rhels8.5.0",
                ["osarch"] = "x86_64",
                ["osdistroname"] = "rhels8.5.0-x86_64",
            };
            foreach (var (k, v) in extraOs ?? [])
            {
                os[k] = v;
            }

            s.Set(XcatSchema.OsImage, [name], os);
            s.Set(XcatSchema.LinuxImage, [name], linux);
            return 0;
        });
    }

    /// <summary>Deterministic pseudo-random bytes at a logical path.</summary>
    public void WriteBytes(string logicalPath, int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        var path = Site.Map(logicalPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    /// <summary>Runs imgexport with the output directory as the working directory.</summary>
    public CliResult Export(params string[] args) =>
        Site.Run(CliEnvironment.FromProcess() with { WorkingDirectory = Output }, ["imgexport", .. args]);

    public void Dispose()
    {
        Site.Dispose();
        System.IO.Directory.Delete(Output, recursive: true);
    }
}
