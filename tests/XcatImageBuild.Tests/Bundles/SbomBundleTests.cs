using System.Text;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>genimage's image.spdx.json in a bundle: exported beside the root image, checked, and put back.</summary>
public sealed class SbomBundleTests : IDisposable
{
    private const string Sbom = "{\"spdxVersion\": \"SPDX-2.3\", \"packages\": []}\n";
    private const string Member = $"./{ExportFixture.Netboot}/image.spdx.json";

    private readonly ExportFixture _export = new();
    private readonly TempSite _import = new();

    public SbomBundleTests()
    {
        _export.AddNetbootImage();
        _export.Site.WriteFile($"{ExportFixture.RootImgDir}/image.spdx.json", Sbom);
    }

    private string Bundle => Path.Combine(_export.Output, "netboot.tgz");

    public void Dispose()
    {
        _export.Dispose();
        _import.Dispose();
    }

    [Fact]
    public void The_SBOM_travels_in_the_bundle_under_the_checksum_list_and_lands_in_the_root_image_directory()
    {
        // Given a netboot image with its SBOM beside the root image
        // When it is exported and imported into another site
        Assert.Equal(0, _export.Export(ExportFixture.Netboot, "netboot.tgz").ExitCode);
        var files = BundleEdit.Files(Bundle);
        var result = _import.Run("imgimport", Bundle, "--require-checksums");

        // Then the bundle holds it, SHA256SUMS lists it, and it lands where genimage wrote it
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(Sbom, Encoding.UTF8.GetString(files[Member]));
        Assert.Contains("  image.spdx.json\n", Encoding.UTF8.GetString(files[$"./{ExportFixture.Netboot}/SHA256SUMS"]), StringComparison.Ordinal);
        Assert.Equal(Sbom, File.ReadAllText(_import.Map($"{ExportFixture.RootImgDir}/image.spdx.json")));
    }

    [Fact]
    public void A_tampered_SBOM_fails_the_checksum_and_nothing_lands()
    {
        // Given an exported bundle whose SBOM was edited afterwards to hide a package
        Assert.Equal(0, _export.Export(ExportFixture.Netboot, "netboot.tgz").ExitCode);
        var tampered = Path.Combine(_export.Output, "tampered.tgz");
        BundleEdit.Rewrite(Bundle, tampered, (name, data) => name == Member ? Encoding.UTF8.GetBytes(Sbom.Replace("[]", "[ ]", StringComparison.Ordinal)) : data);
        var before = SiteSnapshot.Take(_import);

        // When it is imported
        var result = _import.Run("imgimport", tampered);

        // Then the checksum of the SBOM is refused by name and the site is unchanged
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: The checksum of {ExportFixture.Netboot}/image.spdx.json does not match {ExportFixture.Netboot}/SHA256SUMS", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(_import));
    }

    [Fact]
    public void An_image_without_an_SBOM_exports_and_imports_as_before()
    {
        // Given the image without its SBOM
        File.Delete(_export.Site.Map($"{ExportFixture.RootImgDir}/image.spdx.json"));

        // When it is exported and imported
        Assert.Equal(0, _export.Export(ExportFixture.Netboot, "netboot.tgz").ExitCode);
        var result = _import.Run("imgimport", Bundle);

        // Then the bundle has no SBOM member and the import succeeds
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.DoesNotContain(Member, BundleEdit.Files(Bundle).Keys);
        Assert.False(File.Exists(_import.Map($"{ExportFixture.RootImgDir}/image.spdx.json")));
    }
}
