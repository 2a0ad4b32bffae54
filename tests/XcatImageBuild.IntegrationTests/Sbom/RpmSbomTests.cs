using System.Text.Json;
using XcatImageBuild.IntegrationTests.Genimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Sbom;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Sbom;

/// <summary>The SBOM of an RPM image built by dnf from the local repository, against rpm -qa in that root.</summary>
public sealed class RpmSbomTests
{
    [Fact]
    public void The_SBOM_of_a_dnf_image_lists_exactly_what_rpm_lists_in_the_root()
    {
        // Given a dnf image over the local repositories (its test packages hold no kernel, so the build stops at the
        // kernel step, after the SBOM step)
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4");
        site.Run("genimage", name);
        var directory = site.Map("/install/netboot/rocky9.4/x86_64/compute");
        var root = Path.Combine(directory, "rootimg");

        // When its SBOM is read and the real rpm lists the root's database
        using var sbom = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(directory, ImageSbom.FileName)));
        var packages = sbom.RootElement.GetProperty("packages").EnumerateArray().ToList();
        var rpm = new ProcessRunner().Run(new ToolCommand("rpm", ["-qa", "--root", root, "--dbpath", "/var/lib/rpm", "--qf", "%{NAME} %{VERSION}-%{RELEASE} %{ARCH}\\n"]))
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Then the packages, versions and architectures are rpm's, and the purls are rpm purls
        Assert.Equal(rpm.Length, packages.Count);
        Assert.Equal(
            rpm.Order(StringComparer.Ordinal),
            packages.Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("versionInfo").GetString()} {Arch(p)}").Order(StringComparer.Ordinal));
        Assert.Equal("MIT", packages.Single(p => p.GetProperty("name").GetString() == "xcatimg-test-base").GetProperty("licenseDeclared").GetString());
        Assert.All(packages, p => Assert.StartsWith($"pkg:rpm/rocky/{Uri.EscapeDataString(p.GetProperty("name").GetString()!)}@", Purl(p), StringComparison.Ordinal));
    }

    private static string Purl(JsonElement package) => package.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString()!;

    private static string Arch(JsonElement package) => Purl(package).Split("arch=")[1].Split('&')[0];
}
