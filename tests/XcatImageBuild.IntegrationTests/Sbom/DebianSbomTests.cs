using System.Text.Json;
using XcatImageBuild.IntegrationTests.Genimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Sbom;

namespace XcatImageBuild.IntegrationTests.Sbom;

/// <summary>The SBOM genimage writes for the real Debian image, against dpkg-query in that root.</summary>
[Collection(GenimageTestGroup.Name)]
public sealed class DebianSbomTests(DebianImageFixture image)
{
    [Fact]
    public void The_SBOM_lists_exactly_the_packages_dpkg_query_lists_in_the_root()
    {
        // Given the Debian image built by the fixture
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);

        // When its SBOM is read and dpkg-query lists the root's database
        using var sbom = Read();
        var packages = sbom.RootElement.GetProperty("packages").EnumerateArray().ToList();
        var dpkg = new ProcessRunner().Run(new ToolCommand("dpkg-query", ["-W", $"--admindir={Path.Combine(image.RootDirectory, "var/lib/dpkg")}", "-f", "${Package} ${Version} ${Architecture}\n"]))
            .StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Then the same packages are listed, one entry each, with the same versions and architectures
        Assert.Equal(dpkg.Length, packages.Count);
        Assert.Equal(
            dpkg.Order(StringComparer.Ordinal),
            packages.Select(p => $"{p.GetProperty("name").GetString()} {p.GetProperty("versionInfo").GetString()} {Arch(p)}").Order(StringComparer.Ordinal));
        Assert.Contains(packages, p => p.GetProperty("name").GetString() == "iproute2");
        Assert.All(packages, p => Assert.StartsWith($"pkg:deb/debian/{Uri.EscapeDataString(p.GetProperty("name").GetString()!)}@", Purl(p), StringComparison.Ordinal));
        Assert.All(packages, p => Assert.StartsWith("Organization: ", p.GetProperty("supplier").GetString(), StringComparison.Ordinal));
        Assert.Contains(packages, p => p.GetProperty("licenseDeclared").GetString() is { } l && l != "NOASSERTION");
    }

    [Fact]
    public void The_kernel_package_is_marked_and_the_document_is_dated_by_SOURCE_DATE_EPOCH()
    {
        // Given the image built with SOURCE_DATE_EPOCH
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);

        // When its SBOM is read
        using var sbom = Read();

        // Then the creation time is the epoch and the kernel's package is the one linux-image package whose
        // vmlinuz became <rootimgdir>/kernel
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(DebianImageFixture.SourceDateEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
            sbom.RootElement.GetProperty("creationInfo").GetProperty("created").GetString());
        var kernel = Assert.Single(sbom.RootElement.GetProperty("packages").EnumerateArray(),
            p => p.TryGetProperty("primaryPackagePurpose", out var purpose) && purpose.GetString() == ImageSbom.KernelPurpose);
        var vmlinuz = Path.GetFileName(Directory.GetFiles(Path.Combine(image.RootDirectory, "boot"), "vmlinuz-*").Single());
        Assert.StartsWith("linux-image-", kernel.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.Equal($"kernel {vmlinuz["vmlinuz-".Length..]} /boot/{vmlinuz}", kernel.GetProperty("annotations")[0].GetProperty("comment").GetString());
    }

    private JsonDocument Read() => JsonDocument.Parse(File.ReadAllBytes(Path.Combine(image.ImageDirectory, ImageSbom.FileName)));

    private static string Purl(JsonElement package) => package.GetProperty("externalRefs")[0].GetProperty("referenceLocator").GetString()!;

    private static string Arch(JsonElement package) => Purl(package).Split("arch=")[1].Split('&')[0];
}
