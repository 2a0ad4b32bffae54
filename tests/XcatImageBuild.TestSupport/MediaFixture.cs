using XcatImageBuild.Processes;

namespace XcatImageBuild.Testing;

/// <summary>
/// Distribution media made for the tests: the metadata files each distribution's media carries, and a tiny
/// repository (createrepo_c of the given RPMs) in the layout of that media, written as a directory and made into an
/// ISO image with the real xorriso. Nothing else of a real media is there.
/// </summary>
public static class MediaFixture
{
    /// <summary>Every media kind, with the distribution name and architecture copycds must give it.</summary>
    public static readonly IReadOnlyList<(string Kind, string DistName, string Arch)> Kinds =
    [
        ("rhel9-dvd", "rhels9.2", "x86_64"),
        ("rocky9", "rocky9.3", "x86_64"),
        ("alma9", "alma9.3", "x86_64"),
        ("rhel9-minimal", "rhels9.2", "x86_64"),
        ("sles15sp5-installer", "sle15.5", "x86_64"),
        ("sles15sp5-packages", "sle15.5", "x86_64"),
        ("leap15.5", "leap15.5", "x86_64"),
        ("debian12-netinst", "debian12.5.0", "x86_64"),
        ("ubuntu24.04-live-server", "ubuntu24.04", "x86_64"),
    ];

    /// <summary>Builds one noarch RPM, <c>xcatimg-media-NAME</c>, with the real rpmbuild, and returns its path.</summary>
    public static string BuildRpm(string scratch, string name)
    {
        var top = Path.Combine(scratch, "rpmbuild");
        var spec = Path.Combine(scratch, name + ".spec");
        File.WriteAllText(spec, $"""
            Name: xcatimg-media-{name}
            Version: 1.0
            Release: 1
            Summary: xcatimg media test package {name}
            License: MIT
            BuildArch: noarch
            %description
            Installs /usr/share/xcatimg-media/{name}.
            %install
            mkdir -p %{"{buildroot}"}/usr/share/xcatimg-media
            echo {name} > %{"{buildroot}"}/usr/share/xcatimg-media/{name}
            %files
            /usr/share/xcatimg-media/{name}

            """);
        new ProcessRunner().Run(new ToolCommand("rpmbuild", ["-bb", "--quiet", "--define", $"_topdir {top}", spec]));
        return Directory.GetFiles(Path.Combine(top, "RPMS", "noarch"), $"xcatimg-media-{name}-*.rpm").Single();
    }

    /// <summary>Writes the media tree of <paramref name="kind"/> into <paramref name="directory"/>.</summary>
    public static void WriteTree(string kind, string directory, string rpm)
    {
        Directory.CreateDirectory(directory);
        void Write(string path, string text)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }

        void Repository(string path)
        {
            var packages = Path.Combine(directory, path, "Packages");
            Directory.CreateDirectory(packages);
            File.Copy(rpm, Path.Combine(packages, Path.GetFileName(rpm)));
            new ProcessRunner().Run(new ToolCommand("createrepo_c", ["-q", Path.Combine(directory, path)]));
        }

        switch (kind)
        {
            case "rhel9-dvd":
                Write(".discinfo", "1682435262.133935\n9.2\nx86_64\nALL\n");
                Write(".treeinfo", TreeInfo("Red Hat Enterprise Linux", "RHEL", "9.2", "x86_64"));
                Repository("BaseOS");
                Repository("AppStream");
                break;
            case "rocky9":
                Write(".discinfo", "1699964843.394738\n9.3\nx86_64\nALL\n");
                Write(".treeinfo", TreeInfo("Rocky Linux", "Rocky", "9.3", "x86_64"));
                Repository("BaseOS");
                Repository("AppStream");
                break;
            case "alma9":
                // The older style of .discinfo, whose description names the distribution.
                Write(".discinfo", "1699873200.000000\nAlmaLinux 9.3\nx86_64\n1\n");
                Repository("BaseOS");
                Repository("AppStream");
                break;
            case "rhel9-minimal":
                // A minimal ISO: no .discinfo, and one repository at the top as older media have.
                Write(".treeinfo", TreeInfo("Red Hat Enterprise Linux", "RHEL", "9.2", "x86_64", "BaseOS"));
                Repository(".");
                break;
            case "sles15sp5-installer":
                Write("media.1/media", "SUSE - SLE-15-SP5-Installer-DVD-x86_64-GM-DVD1\n20230510-0\n1\n");
                Write("media.1/products", "/ SLES 15.5-0\n");
                Write("boot/x86_64/loader/linux", "not a kernel\n");
                Repository(".");
                break;
            case "sles15sp5-packages":
                Write("media.1/media", "SUSE - SLE-15-SP5-Packages-x86_64-GM-DVD1\n20230510-0\n1\n");
                Write("media.1/products", "/Module-Basesystem 15.5-0 sle-module-basesystem\n");
                Repository("Module-Basesystem");
                break;
            case "leap15.5":
                Write("media.1/media", "openSUSE - openSUSE-Leap-15.5-DVD-x86_64-Build491.1-Media\nopenSUSE-Leap-15.5-x86_64-Build491.1\n1\n");
                Write(".treeinfo", "[release]\nname = openSUSE Leap\nversion = 15.5\n\n[general]\nfamily = openSUSE Leap\nversion = 15.5\narch = x86_64\n");
                Repository(".");
                break;
            case "debian12-netinst":
                Write(".disk/info", "Debian GNU/Linux 12.5.0 \"Bookworm\" - Official amd64 NETINST with firmware 20240210-11:27");
                Write("dists/bookworm/Release", "Codename: bookworm\nArchitectures: amd64\n");
                Write("pool/main/x/xcatimg/README", "the pool of a netinst holds a few hundred packages\n");
                break;
            case "ubuntu24.04-live-server":
                Write(".disk/info", "Ubuntu-Server 24.04 LTS \"Noble Numbat\" - Release amd64 (20240423)");
                Write("README.diskdefines", "#define DISKNAME  Ubuntu-Server 24.04 LTS \"Noble Numbat\" - Release amd64\n#define TYPE  binary\n#define ARCH  amd64\n#define DISKNUM  1\n");
                Write("casper/install-sources.yaml", "- default: true\n  id: ubuntu-server\n");
                Write("dists/noble/Release", "Codename: noble\nArchitectures: amd64\n");
                break;
            default:
                throw new ArgumentException($"No media kind {kind}.", nameof(kind));
        }
    }

    /// <summary>Makes an ISO 9660 image (Rock Ridge and Joliet) of a tree with the real xorriso.</summary>
    public static string BuildIso(string tree, string iso)
    {
        new ProcessRunner().Run(new ToolCommand("xorriso", ["-as", "mkisofs", "-quiet", "-R", "-J", "-V", "XCATIMG_TEST", "-o", iso, tree]));
        return iso;
    }

    private static string TreeInfo(string family, string shortName, string version, string arch, string variants = "AppStream,BaseOS") => $"""
        [header]
        type = productmd.treeinfo
        version = 1.2

        [release]
        name = {family}
        short = {shortName}
        version = {version}

        [tree]
        arch = {arch}
        platforms = {arch}
        variants = {variants}

        [general]
        family = {family}
        version = {version}
        arch = {arch}
        name = {family} {version}

        """;
}
