using System.Text;
using XcatImageBuild.Cli;
using XcatImageBuild.Signing;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>imgexport --sign and imgimport --trusted-key / --require-signature.</summary>
public sealed class SignedBundleTests : IDisposable
{
    private const string Signature = $"./{ExportFixture.Netboot}/SHA256SUMS.minisig";
    private const string Sums = $"./{ExportFixture.Netboot}/SHA256SUMS";

    private readonly ExportFixture _export = new();
    private readonly TempSite _import = new();

    public SignedBundleTests()
    {
        _export.AddNetbootImage();
        Assert.Equal(0, Run(_export.Output, "keygen", "-o", "site").ExitCode);
        Assert.Equal(0, Run(_export.Output, "keygen", "-o", "other").ExitCode);
    }

    private string Bundle => Path.Combine(_export.Output, "netboot.tgz");

    private string SiteKey => Path.Combine(_export.Output, "site.pub");

    private string OtherKey => Path.Combine(_export.Output, "other.pub");

    public void Dispose()
    {
        _export.Dispose();
        _import.Dispose();
    }

    [Fact]
    public void A_signed_bundle_carries_a_signature_of_its_checksum_list_naming_the_image_and_the_epoch()
    {
        // Given SOURCE_DATE_EPOCH
        // When the image is exported with --sign
        var result = _export.Site.Run(
            CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000") with { WorkingDirectory = _export.Output },
            "imgexport", ExportFixture.Netboot, "netboot.tgz", "--sign", "site.key");

        // Then SHA256SUMS.minisig is beside SHA256SUMS, signs it with the site key, and names the image and the time
        Assert.True(result.ExitCode == 0, result.Error);
        var files = BundleEdit.Files(Bundle);
        var signature = MinisignSignature.Parse(Encoding.UTF8.GetString(files[Signature]), "sig");
        Assert.Equal($"timestamp:1700000000\tfile:SHA256SUMS\timage:{ExportFixture.Netboot}\thashed", signature.TrustedComment);
        var (key, problem) = signature.Verify(new MemoryStream(files[Sums]), [MinisignPublicKey.ReadFile(SiteKey)]);
        Assert.Null(problem);
        Assert.Equal(MinisignPublicKey.ReadFile(SiteKey).KeyIdText, key!.KeyIdText);
        Assert.DoesNotContain("SHA256SUMS.minisig", Encoding.UTF8.GetString(files[Sums]), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_signed_exports_of_the_same_image_under_SOURCE_DATE_EPOCH_are_byte_identical()
    {
        // Given two signed exports with the same epoch
        var environment = CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000") with { WorkingDirectory = _export.Output };
        Assert.Equal(0, _export.Site.Run(environment, "imgexport", ExportFixture.Netboot, "a.tgz", "--sign", "site.key").ExitCode);
        Assert.Equal(0, _export.Site.Run(environment, "imgexport", ExportFixture.Netboot, "b.tgz", "--sign", "site.key").ExitCode);

        // Then the bundles are the same bytes (Ed25519 signatures are deterministic)
        Assert.Equal(File.ReadAllBytes(Path.Combine(_export.Output, "a.tgz")), File.ReadAllBytes(Path.Combine(_export.Output, "b.tgz")));
    }

    [Fact]
    public void A_bundle_signed_by_a_trusted_key_imports_and_says_which_key_signed_it()
    {
        // Given a signed bundle
        Assert.Equal(0, ExportSigned().ExitCode);

        // When it is imported trusting the other key and the site key
        var result = _import.Run("imgimport", Bundle, "--trusted-key", OtherKey, "--trusted-key", SiteKey, "--require-signature");

        // Then it lands, and the output names the key and the trusted comment
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"by the trusted key {MinisignPublicKey.ReadFile(SiteKey).KeyIdText} is valid (trusted comment: timestamp:", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Successfully imported the image {ExportFixture.Netboot}.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_signed_by_an_untrusted_key_is_refused_and_nothing_lands()
    {
        // Given a bundle signed with the site key
        Assert.Equal(0, ExportSigned().ExitCode);
        var before = SiteSnapshot.Take(_import);

        // When it is imported trusting only the other key
        var result = _import.Run("imgimport", Bundle, "--trusted-key", OtherKey);

        // Then it is refused naming both key ids, and the site is unchanged
        Assert.Equal(1, result.ExitCode);
        var site = MinisignPublicKey.ReadFile(SiteKey).KeyIdText;
        var other = MinisignPublicKey.ReadFile(OtherKey).KeyIdText;
        Assert.Contains($"Error: The signature {ExportFixture.Netboot}/SHA256SUMS.minisig of {Bundle} is refused: it was made by the key {site}, which is not trusted (the trusted keys are {other}).", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(_import));
    }

    [Fact]
    public void A_signature_over_a_different_checksum_list_is_refused_and_nothing_lands()
    {
        // Given a signed bundle whose kernel and SHA256SUMS were both replaced consistently, keeping the old signature
        Assert.Equal(0, ExportSigned().ExitCode);
        var tampered = Path.Combine(_export.Output, "tampered.tgz");
        var kernel = "not the kernel that was signed\n"u8.ToArray();
        var kernelSum = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(kernel));
        BundleEdit.Rewrite(Bundle, tampered, (name, data) => name switch
        {
            _ when name.EndsWith("/kernel", StringComparison.Ordinal) => kernel,
            Sums => Encoding.UTF8.GetBytes(string.Join('\n', Encoding.UTF8.GetString(data).Split('\n')
                .Select(l => l.EndsWith("  kernel", StringComparison.Ordinal) ? $"{kernelSum}  kernel" : l))),
            _ => data,
        });
        var before = SiteSnapshot.Take(_import);

        // When it is imported trusting the key that made the signature
        var result = _import.Run("imgimport", tampered, "--trusted-key", SiteKey);

        // Then the signature is refused and the site is unchanged
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: The signature {ExportFixture.Netboot}/SHA256SUMS.minisig of {tampered} is refused: it does not match the signed file", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(_import));
    }

    [Fact]
    public void An_unsigned_bundle_is_refused_when_a_signature_is_required()
    {
        // Given an unsigned bundle
        Assert.Equal(0, _export.Export(ExportFixture.Netboot, "netboot.tgz").ExitCode);
        var before = SiteSnapshot.Take(_import);

        // When it is imported with --require-signature and a trusted key
        var result = _import.Run("imgimport", Bundle, "--require-signature", "--trusted-key", SiteKey);

        // Then it is refused naming the missing file, and nothing lands
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: The image directory {ExportFixture.Netboot}/ of {Bundle} is not signed: it has no SHA256SUMS.minisig", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(_import));
    }

    [Fact]
    public void Require_signature_without_a_trusted_key_is_refused_before_the_bundle_is_read()
    {
        // Given a signed bundle
        Assert.Equal(0, ExportSigned().ExitCode);

        // When --require-signature comes without --trusted-key
        var result = _import.Run("imgimport", Bundle, "--require-signature");

        // Then it says what is missing
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: --require-signature needs the keys to trust: give at least one --trusted-key PUBKEY.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signed_bundle_imports_without_a_trusted_key_with_a_warning_that_it_was_not_checked()
    {
        // Given a signed bundle
        Assert.Equal(0, ExportSigned().ExitCode);

        // When it is imported as before, without keys
        var result = _import.Run("imgimport", Bundle);

        // Then it lands (the signature is an extra file, as for xCAT's importer) and the warning says so
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("SHA256SUMS.minisig was not checked: no --trusted-key was given.", result.Error + result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_with_a_missing_or_encrypted_key_fails_before_writing_a_bundle()
    {
        // Given a key path that does not exist
        // When the export is asked to sign with it
        var result = ExportSigned("nokey.key");

        // Then it fails naming the key and writes no bundle
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: Cannot find the secret key {Path.Combine(_export.Output, "nokey.key")}.", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Bundle));
    }

    private CliResult ExportSigned(string key = "site.key") => _export.Export(ExportFixture.Netboot, "netboot.tgz", "--sign", key);

    private static CliResult Run(string directory, params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess() with { WorkingDirectory = directory }, args);
}
