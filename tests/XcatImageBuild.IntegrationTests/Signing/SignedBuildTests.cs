using XcatImageBuild.Cli;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Signing;

/// <summary><c>xcatimg build --sign KEYFILE</c>: every bundle the build writes is signed, and Debian's minisign verifies it.</summary>
public sealed class SignedBuildTests : IDisposable
{
    private const string Image = "sles15.5-x86_64-install-compute";
    private readonly TempSite _site = new();
    private readonly string _work = Directory.CreateTempSubdirectory("xcatimg-signed-build-").FullName;
    private readonly ProcessRunner _tools = new();

    [Fact]
    public void Minisign_verifies_the_bundle_a_build_with_sign_writes()
    {
        // Given a key pair from keygen and the SLES install example (its bundle needs no packages)
        Assert.Equal(0, Run("keygen").ExitCode);
        var recipe = Path.Combine(RepositoryFiles.Root, "recipes", "sles15-install-compute.csx");

        // When it is built with --sign
        var build = Run("--site", _site.Directory, "build", recipe, "--bundles", "bundles", "--sign", "xcatimg.key");
        Assert.True(build.ExitCode == 0, build.Output + build.Error);

        // Then the bundle carries SHA256SUMS.minisig, and Debian's minisign verifies SHA256SUMS with the public key
        var extracted = Path.Combine(_work, "extracted");
        Directory.CreateDirectory(extracted);
        _tools.Run(new ToolCommand("tar", ["-xzf", Path.Combine(_work, "bundles", $"{Image}.tgz"), "-C", extracted]));
        var image = Path.Combine(extracted, Image);
        Assert.True(File.Exists(Path.Combine(image, "SHA256SUMS.minisig")));
        var verified = _tools.Run(new ToolCommand("minisign", ["-Vm", "SHA256SUMS", "-p", Path.Combine(_work, "xcatimg.pub")]) { WorkingDirectory = image });
        Assert.Contains("Signature and comment signature verified", verified.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"image:{Image}", verified.StandardOutput, StringComparison.Ordinal);

        // And a second build with the same key skips imgexport; a new key signs the bundle afresh
        var again = Run("--site", _site.Directory, "build", recipe, "--bundles", "bundles", "--sign", "xcatimg.key");
        Assert.Contains($"imgexport {Image}: skipped — ", again.Output, StringComparison.Ordinal);
        Assert.Equal(0, Run("keygen", "-o", "second").ExitCode);
        var rekeyed = Run("--site", _site.Directory, "build", recipe, "--bundles", "bundles", "--sign", "second.key");
        Assert.Contains($"imgexport {Image}: runs — signing key {Path.Combine(_work, "second.key")} ", rekeyed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_that_cannot_sign_is_refused_before_anything_is_built()
    {
        var recipe = Path.Combine(RepositoryFiles.Root, "recipes", "sles15-install-compute.csx");
        File.WriteAllText(Path.Combine(_work, "bad.key"), "not a key\n");

        var build = Run("--site", _site.Directory, "build", recipe, "--bundles", "bundles", "--sign", "bad.key");

        Assert.Equal(1, build.ExitCode);
        Assert.StartsWith("Error: ", build.Error, StringComparison.Ordinal);
        Assert.Contains("bad.key", build.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", build.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_work, "bundles")));
        Assert.DoesNotContain("imgexport", build.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _site.Dispose();
        Directory.Delete(_work, recursive: true);
    }

    private CliResult Run(params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess() with { WorkingDirectory = _work }, args);
}
