using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

/// <summary>What <c>build --check-reproducible</c> refuses before it builds anything.</summary>
public sealed class CheckReproducibleTests
{
    [Fact]
    public void Check_reproducible_with_until_is_refused_and_no_site_is_created()
    {
        // Given a directory that holds no site yet
        using var scratch = new TempSite();
        var site = Path.Combine(scratch.Scratch, "new-site");
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx");

        // When a check is asked to stop early
        var result = Testing.Cli.Run("--site", site, "build", recipe, "--check-reproducible", "--until", "genimage");

        // Then it is refused with one error line, and nothing was made
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --check-reproducible compares the bundles of two builds; it cannot stop at --until.", result.Error.Trim());
        Assert.False(Directory.Exists(site));
    }

    [Fact]
    public void A_check_of_an_install_image_compares_its_two_bundles_and_removes_the_scratch_site()
    {
        // Given the SLES install example (imgexport is its only stage)
        using var site = new TempSite();
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx");
        var bundles = Path.Combine(site.Scratch, "bundles");
        var environment = XcatImageBuild.Cli.CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000");

        // When it is built with --check-reproducible
        var result = site.Run(environment, "build", recipe, "--bundles", bundles, "--check-reproducible");

        // Then both exports ran and their bundles are the same bytes, and the scratch site is gone
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains("second imgexport sles15.5-x86_64-install-compute: ran — --force", result.Output, StringComparison.Ordinal);
        Assert.Contains(
            "reproducible sles15.5-x86_64-install-compute: ran — the two builds' bundles are byte-identical (sles15.5-x86_64-install-compute.tgz)",
            result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/var/lib/xcatimg/reproducible")));
    }
}
