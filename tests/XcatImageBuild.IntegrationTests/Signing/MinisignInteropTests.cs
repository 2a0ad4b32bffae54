using XcatImageBuild.Cli;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Signing;

/// <summary>
/// Our signatures and keys against Debian's minisign, both ways: minisign verifies what imgexport --sign writes, and
/// imgimport --trusted-key accepts keys and signatures minisign made, and refuses them once the bundle changed.
/// </summary>
public sealed class MinisignInteropTests : IDisposable
{
    private readonly TempSite _site = new();
    private readonly TempSite _import = new();
    private readonly string _work = Directory.CreateTempSubdirectory("xcatimg-minisign-").FullName;
    private readonly ProcessRunner _tools = new();
    private readonly NetbootImage _image;

    public MinisignInteropTests()
    {
        _image = new NetbootImage(_site, linuximage: new Dictionary<string, string?>
        {
            ["rootimgdir"] = "/install/netboot/debian12/x86_64/compute",
            ["pkglist"] = "/install/custom/netboot/debian/compute.pkglist",
        });
        _site.WriteFile("/install/custom/netboot/debian/compute.pkglist", "bash\n");
        _site.WriteFile($"{_image.Directory}/kernel", "kernel\n");
        _site.WriteFile($"{_image.Directory}/initrd-stateless.gz", "initrd\n");
        _site.WriteFile($"{_image.Directory}/rootimg.cpio.gz", "rootimg\n");
        _site.WriteFile($"{_image.Directory}/image.spdx.json", "{}\n");
    }

    private string Bundle => Path.Combine(_work, "signed.tgz");

    private string ImageDirectory => Path.Combine(_work, "extracted", NetbootImage.Name);

    public void Dispose()
    {
        _site.Dispose();
        _import.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public void Minisign_verifies_the_signature_imgexport_writes_with_a_keygen_key()
    {
        // Given a key pair from keygen and a bundle signed with it
        Assert.Equal(0, Run(_work, "keygen").ExitCode);
        var export = Run(_work, "--site", _site.Directory, "imgexport", NetbootImage.Name, "signed.tgz", "--sign", "xcatimg.key");
        Assert.True(export.ExitCode == 0, export.Error);

        // When the bundle is unpacked with tar and checked with sha256sum and Debian's minisign
        Extract(Bundle);
        _tools.Run(new ToolCommand("sha256sum", ["-c", "--strict", ChecksumList]) { WorkingDirectory = ImageDirectory });
        var verified = _tools.Run(new ToolCommand("minisign", ["-Vm", ChecksumList, "-p", Path.Combine(_work, "xcatimg.pub")]) { WorkingDirectory = ImageDirectory });

        // Then minisign accepts it and shows our trusted comment
        Assert.Contains("Signature and comment signature verified", verified.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"Trusted comment: timestamp:", verified.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"\tfile:SHA256SUMS\timage:{NetbootImage.Name}\thashed", verified.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  image.spdx.json", File.ReadAllText(Path.Combine(ImageDirectory, ChecksumList)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_pair_made_by_minisign_signs_bundles_that_import_with_its_public_key()
    {
        // Given a key pair made by minisign -G -W
        _tools.Run(new ToolCommand("minisign", ["-G", "-W", "-p", "theirs.pub", "-s", "theirs.key"]) { WorkingDirectory = _work });

        // When imgexport signs with it and imgimport trusts its public key
        var export = Run(_work, "--site", _site.Directory, "imgexport", NetbootImage.Name, "signed.tgz", "--sign", "theirs.key");
        Assert.True(export.ExitCode == 0, export.Error);
        var result = _import.Run("imgimport", Bundle, "--trusted-key", Path.Combine(_work, "theirs.pub"), "--require-signature");

        // Then the image is imported
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Successfully imported the image {NetbootImage.Name}.", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_signature_made_by_minisign_is_accepted_and_refused_once_the_signed_list_changed()
    {
        // Given an unsigned bundle, unpacked, its SHA256SUMS signed by minisign with a key of its own, and packed again
        _tools.Run(new ToolCommand("minisign", ["-G", "-W", "-p", "theirs.pub", "-s", "theirs.key"]) { WorkingDirectory = _work });
        Assert.Equal(0, Run(_work, "--site", _site.Directory, "imgexport", NetbootImage.Name, "plain.tgz").ExitCode);
        Extract(Path.Combine(_work, "plain.tgz"));
        _tools.Run(new ToolCommand("minisign", ["-S", "-s", Path.Combine(_work, "theirs.key"), "-m", ChecksumList, "-t", "signed by minisign"]) { WorkingDirectory = ImageDirectory });
        Pack(Bundle);

        // When it is imported trusting minisign's key
        var accepted = _import.Run("imgimport", Bundle, "--trusted-key", Path.Combine(_work, "theirs.pub"), "--verify-only");

        // Then our verifier accepts minisign's signature and shows its trusted comment
        Assert.True(accepted.ExitCode == 0, accepted.Error);
        Assert.Contains("(trusted comment: signed by minisign)", accepted.Output, StringComparison.Ordinal);

        // And when one byte of the signed list changes (a line is appended), the same signature is refused
        File.AppendAllText(Path.Combine(ImageDirectory, ChecksumList), "\n");
        var tampered = Path.Combine(_work, "tampered.tgz");
        Pack(tampered);
        var refused = _import.Run("imgimport", tampered, "--trusted-key", Path.Combine(_work, "theirs.pub"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("is refused: it does not match the signed file", refused.Error, StringComparison.Ordinal);
    }

    private const string ChecksumList = "SHA256SUMS";

    private void Extract(string bundle)
    {
        var target = Path.Combine(_work, "extracted");
        Directory.CreateDirectory(target);
        _tools.Run(new ToolCommand("tar", ["-xzf", bundle, "-C", target]));
    }

    private void Pack(string bundle) =>
        _tools.Run(new ToolCommand("tar", ["-czf", bundle, "-C", Path.Combine(_work, "extracted"), $"./{NetbootImage.Name}"]));

    private static CliResult Run(string directory, params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess() with { WorkingDirectory = directory }, args);
}
