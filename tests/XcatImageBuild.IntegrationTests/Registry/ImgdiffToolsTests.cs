using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>imgdiff on a squashfs root (read through sqfs2tar, no root, nothing unpacked) and on a registry artifact.</summary>
public sealed class ImgdiffToolsTests : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly RegistryFixture _registry;
    private readonly TempSite _siteA = new();
    private readonly TempSite _siteB = new();

    public ImgdiffToolsTests(RegistryFixture registry) => _registry = registry;

    [Fact]
    public void A_squashfs_root_is_compared_file_by_file()
    {
        var a = SampleBundle.Export(_siteA, _siteA.Scratch, null, "-m", "squashfs");
        var b = SampleBundle.Export(_siteB, _siteB.Scratch, image => image.WriteImageFile("etc/hostname", "other-node\n"), "-m", "squashfs");

        var diff = Run("imgdiff", a, b);

        Assert.Equal(1, diff.ExitCode);
        Assert.Contains("~ /etc/hostname: size 5 -> 11; content sha256 ", diff.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("/usr/bin/tool", diff.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_artifact_is_compared_with_the_bundle_it_was_pushed_from()
    {
        var bundle = SampleBundle.Export(_siteA, _siteA.Scratch);
        var reference = $"{_registry.Open}/xcatimg/diff:v1";
        Assert.Equal(0, Run("imgpush", bundle, reference, "--insecure").ExitCode);

        var diff = Run("imgdiff", reference, bundle, "--insecure");

        Assert.True(diff.ExitCode == 0, diff.Output + diff.Error);
        Assert.Contains("The images are equal.", diff.Output, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _siteA.Dispose();
        _siteB.Dispose();
    }

    private static CliResult Run(params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess(), args);
}
