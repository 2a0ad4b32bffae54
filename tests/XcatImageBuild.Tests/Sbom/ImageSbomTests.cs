using System.Text.Json;
using XcatImageBuild.Processes;
using XcatImageBuild.Sbom;

namespace XcatImageBuild.Tests.Sbom;

/// <summary>The SBOM of a root built from a dpkg status corpus: the shapes dpkg's database takes on real systems.</summary>
public sealed class ImageSbomTests : IDisposable
{
    private static readonly DateTimeOffset Epoch = DateTimeOffset.FromUnixTimeSeconds(1700000000);

    private readonly string _root = Directory.CreateTempSubdirectory("xcatimg-sbom-").FullName;

    public ImageSbomTests()
    {
        Write("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        Directory.CreateDirectory(Path.Combine(_root, "etc"));
        File.CreateSymbolicLink(Path.Combine(_root, "etc/os-release"), "../usr/lib/os-release");
        Write("var/lib/dpkg/status", """
            Package: libc6
            Status: install ok installed
            Priority: optional
            Architecture: amd64
            Multi-Arch: same
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Version: 2.36-9+deb12u4
            Description: GNU C Library: Shared libraries
             Contains the standard libraries that are used by nearly all programs on
             the system.

            Package: libc6
            Status: install ok installed
            Architecture: i386
            Multi-Arch: same
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Version: 2.36-9+deb12u4
            Description: GNU C Library: Shared libraries

            Package: libstdc++6
            Status: install ok installed
            Architecture: amd64
            Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
            Source: gcc-12
            Version: 12.2.0-14
            Description: GNU Standard C++ Library v3

            Package: libstdc++-dev
            Status: install ok unpacked
            Architecture: amd64
            Maintainer: Debian GCC Maintainers <debian-gcc@lists.debian.org>
            Version: 12.2.0-14
            Description: headers

            Package: perl-base
            Status: install ok installed
            Architecture: amd64
            Maintainer: Niko Tyni <ntyni@debian.org>
            Version: 1:5.36.0-7+deb12u1
            Description: minimal Perl system

            Package: oldtool
            Status: deinstall ok config-files
            Architecture: amd64
            Maintainer: Someone <someone@example.org>
            Version: 0.9-1
            Description: removed, its configuration kept

            Package: purged
            Status: purge ok not-installed
            Architecture: amd64
            Description: purged

            Package: linux-image-6.1.0-13-amd64
            Status: install ok installed
            Architecture: amd64
            Maintainer: Debian Kernel Team <debian-kernel@lists.debian.org>
            Source: linux-signed-amd64 (6.1.55+1)
            Version: 6.1.55-1
            Description: Linux 6.1 for 64-bit PCs (signed)

            """);
        Write("var/lib/dpkg/info/linux-image-6.1.0-13-amd64.list", "/.\n/boot\n/boot/vmlinuz-6.1.0-13-amd64\n/boot/System.map-6.1.0-13-amd64\n");
        Write("var/lib/dpkg/info/libc6:amd64.list", "/.\n/lib\n");
        Write("var/lib/dpkg/available", string.Empty);
        Write("boot/vmlinuz-6.1.0-13-amd64", "kernel");
        Write("usr/share/doc/libc6/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\nUpstream-Name: glibc\n\nFiles: *\nCopyright: 1991-2023 Free Software Foundation, Inc.\nLicense: LGPL-2.1+\n\nFiles: debian/*\nLicense: GPL-2+\n");
        Write("usr/share/doc/perl-base/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-1+ or Artistic\n This program is free software.\n");
        Write("usr/share/doc/libstdc++6/copyright", "This is the Debian GNU/Linux prepackaged version of the GNU compiler collection.\nFree-form text, not machine-readable.\n");
        Write("usr/share/doc/linux-image-6.1.0-13-amd64/copyright", "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\nFiles: *\nLicense: GPL-2 with Linux-syscall-note exception\n");
        File.CreateSymbolicLink(Path.Combine(_root, "usr/share/doc/libstdc++-dev"), "/usr/share/doc/libc6");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Every_present_package_is_listed_and_exactly_those_dpkg_query_lists_as_present()
    {
        // Given the corpus root
        // When its SBOM is made
        var (document, count) = Create();
        var packages = Packages(document);

        // Then the packages are what the real dpkg-query lists, less the removed package whose configuration stays
        var listed = new ProcessRunner().Run(new ToolCommand("dpkg-query", ["-W", $"--admindir={Path.Combine(_root, "var/lib/dpkg")}", "-f", "${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\n"]))
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t'))
            .Where(f => f[0] != "config-files")
            .Select(f => $"{f[1]} {f[2]} {f[3]}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(listed, packages.Select(p => $"{p.Name} {p.Version} {Arch(p.Purl)}").Order(StringComparer.Ordinal));
        Assert.Equal(6, count);
        Assert.DoesNotContain(packages, p => p.Name is "oldtool" or "purged");
    }

    [Fact]
    public void Each_package_has_its_supplier_its_declared_licence_where_machine_readable_and_a_purl()
    {
        // Given the corpus root
        // When its SBOM is made
        var packages = Packages(Create().Document).ToDictionary(p => p.Id, StringComparer.Ordinal);

        // Then suppliers come from Maintainer, licences from DEP-5 copyright files, purls name vendor, arch and distro
        var libc = packages["SPDXRef-Package-libc6-amd64"];
        Assert.Equal("Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)", libc.Supplier);
        Assert.Equal("LGPL-2.1-or-later", libc.License);
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12", libc.Purl);
        Assert.Equal("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=i386&distro=debian-12", packages["SPDXRef-Package-libc6-i386"].Purl);
        var perl = packages["SPDXRef-Package-perl-base-amd64"];
        Assert.Equal("GPL-1.0-or-later OR Artistic-1.0", perl.License);
        Assert.Equal("1:5.36.0-7+deb12u1", perl.Version);
        Assert.Equal("pkg:deb/debian/perl-base@1%3A5.36.0-7%2Bdeb12u1?arch=amd64&distro=debian-12", perl.Purl);

        // A free-form copyright file, a licence SPDX has no name for, and a doc link out of the root assert nothing
        Assert.Equal("NOASSERTION", packages["SPDXRef-Package-libstdc--6-amd64"].License);
        Assert.Equal("NOASSERTION", packages["SPDXRef-Package-linux-image-6.1.0-13-amd64-amd64"].License);
        Assert.Equal("NOASSERTION", packages["SPDXRef-Package-libstdc---dev-amd64"].License);
    }

    [Fact]
    public void The_package_holding_the_kernel_is_the_operating_system_and_names_the_kernel()
    {
        // Given the corpus root with its kernel in /boot
        // When its SBOM is made for that kernel
        using var json = JsonDocument.Parse(Create().Document);

        // Then exactly the kernel's package has the OPERATING-SYSTEM purpose and an annotation with its version
        var kernels = json.RootElement.GetProperty("packages").EnumerateArray()
            .Where(p => p.TryGetProperty("primaryPackagePurpose", out var purpose) && purpose.GetString() == ImageSbom.KernelPurpose)
            .ToList();
        var kernel = Assert.Single(kernels);
        Assert.Equal("linux-image-6.1.0-13-amd64", kernel.GetProperty("name").GetString());
        Assert.Equal("kernel 6.1.0-13-amd64 /boot/vmlinuz-6.1.0-13-amd64", kernel.GetProperty("annotations")[0].GetProperty("comment").GetString());
    }

    [Fact]
    public void The_document_is_SPDX_2_3_created_at_the_epoch_and_the_same_bytes_for_the_same_root()
    {
        // Given the corpus root
        // When the SBOM is made twice with the same time, and once more after a package is added
        var first = Create().Document;
        var second = Create().Document;
        File.AppendAllText(Path.Combine(_root, "var/lib/dpkg/status"), "Package: extra\nStatus: install ok installed\nArchitecture: all\nVersion: 1\n\n");
        var third = Create().Document;

        // Then the first two are identical, the third's namespace differs, and the header is SPDX 2.3's
        Assert.Equal(first, second);
        using var json = JsonDocument.Parse(first);
        var root = json.RootElement;
        Assert.Equal("SPDX-2.3", root.GetProperty("spdxVersion").GetString());
        Assert.Equal("CC0-1.0", root.GetProperty("dataLicense").GetString());
        Assert.Equal("SPDXRef-DOCUMENT", root.GetProperty("SPDXID").GetString());
        Assert.Equal("2023-11-14T22:13:20Z", root.GetProperty("creationInfo").GetProperty("created").GetString());
        Assert.Equal(6, root.GetProperty("relationships").GetArrayLength());
        using var changed = JsonDocument.Parse(third);
        Assert.NotEqual(root.GetProperty("documentNamespace").GetString(), changed.RootElement.GetProperty("documentNamespace").GetString());
    }

    [Fact]
    public void A_root_without_a_package_database_is_refused_with_its_path()
    {
        // Given an empty root
        var empty = Directory.CreateTempSubdirectory("xcatimg-sbom-empty-").FullName;
        try
        {
            // When its SBOM is asked for
            var error = Assert.Throws<XcatException>(() => ImageSbom.Create(empty, "img", "debian12", null, Epoch, new ProcessRunner()));

            // Then the message names the root and both databases looked for
            Assert.Equal($"The image {empty} has no package database to list (neither var/lib/dpkg/status nor var/lib/rpm).", error.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private (byte[] Document, int Count) Create()
    {
        var (document, count) = ImageSbom.Create(_root, "debian12-x86_64-netboot-compute", "debian12", "6.1.0-13-amd64", Epoch, new ProcessRunner());
        return (document, count);
    }

    private static List<(string Id, string Name, string Version, string Supplier, string License, string Purl)> Packages(byte[] document)
    {
        using var json = JsonDocument.Parse(document);
        return [.. json.RootElement.GetProperty("packages").EnumerateArray().Select(p => (
            p.GetProperty("SPDXID").GetString()!,
            p.GetProperty("name").GetString()!,
            p.GetProperty("versionInfo").GetString()!,
            p.GetProperty("supplier").GetString()!,
            p.GetProperty("licenseDeclared").GetString()!,
            p.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString()!))];
    }

    private static string Arch(string purl) => purl.Split("arch=")[1].Split('&')[0];

    private void Write(string relative, string text)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
