using XcatImageBuild.Build;
using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Build;

public sealed class BuildRunTests
{
    [Fact]
    public void The_sles_install_recipe_builds_a_bundle_without_packages()
    {
        // Given the SLES install example, which has no root to build
        using var site = new TempSite();
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx");
        var bundles = Path.Combine(site.Scratch, "bundles");

        // When it is built
        var result = RecipeTesting.Run(site, "build", recipe, "--bundles", bundles);

        // Then imgexport is its only stage and the bundle holds its template
        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.DoesNotContain("genimage", result.Output, StringComparison.Ordinal);
        Assert.Contains("imgexport sles15.5-x86_64-install-compute: ran — not built in this site yet", result.Output, StringComparison.Ordinal);
        var bundle = Path.Combine(bundles, "sles15.5-x86_64-install-compute.tgz");
        Assert.Contains("sles15.5-x86_64-install-compute/compute.sles15.5.x86_64.tmpl", BundleNames(bundle));
    }

    [Fact]
    public void A_deleted_bundle_makes_imgexport_run_again()
    {
        // Given a built install image
        using var site = new TempSite();
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx");
        var bundles = Path.Combine(site.Scratch, "bundles");
        Assert.Equal(0, RecipeTesting.Run(site, "build", recipe, "--bundles", bundles).ExitCode);

        // When its bundle is deleted
        File.Delete(Path.Combine(bundles, "sles15.5-x86_64-install-compute.tgz"));

        // Then the plan names the missing output
        var plan = RecipeTesting.Run(site, "plan", recipe, "--bundles", bundles);
        Assert.Contains(
            $"imgexport sles15.5-x86_64-install-compute: runs — bundle {bundles}/sles15.5-x86_64-install-compute.tgz is missing",
            plan.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_build_of_one_site_names_the_build_that_holds_it()
    {
        // Given a build holding the site
        using var site = new TempSite();
        using var held = BuildLock.Acquire(site.Site);

        // When another build starts
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "sles15-install-compute.csx");
        var result = RecipeTesting.Run(site, "build", recipe, "--bundles", site.Scratch);

        // Then it fails at once, naming the holder
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: Another xcatimg build holds the site {site.Directory} (process {Environment.ProcessId}, started ", result.Error, StringComparison.Ordinal);
    }

    private static List<string> BundleNames(string bundle)
    {
        using var file = File.OpenRead(bundle);
        using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var tar = new System.Formats.Tar.TarReader(gzip);
        var names = new List<string>();
        while (tar.GetNextEntry() is { } entry)
        {
            names.Add(entry.Name.TrimStart('.', '/'));
        }

        return names;
    }
}
