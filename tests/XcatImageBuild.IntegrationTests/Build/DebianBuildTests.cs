using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Build;

/// <summary>
/// <c>xcatimg build</c> of the Debian example recipe with the real mmdebstrap from the host's Debian mirror: a cold
/// build makes the bundle, a second build skips every stage, <c>recipe apply</c> after genimage changes nothing, and a
/// postinstall edit is planned as genimage, packimage and imgexport, naming the script, and rebuilt from the root as it
/// stood after the package passes, with the initrd reused.
/// </summary>
public sealed class DebianBuildTests : IDisposable
{
    private const string Image = "debian12-x86_64-netboot-compute";
    private readonly TempSite _site = new();
    private readonly string _recipes;

    public DebianBuildTests()
    {
        _recipes = Path.Combine(_site.Scratch, "recipes");
        RepositoryFiles.CopyTree(Path.Combine(RepositoryFiles.Root, "recipes"), _recipes);
    }

    private string Recipe => Path.Combine(_recipes, "debian12-netboot-compute.csx");

    private string Bundles => Path.Combine(_site.Scratch, "bundles");

    [Fact]
    public void The_debian_example_builds_once_and_then_skips_every_stage()
    {
        // Given the Debian example recipe, when it is built
        var cold = _site.Run("build", Recipe, "--bundles", Bundles);

        // Then every stage ran and the bundle is there
        Assert.True(cold.ExitCode == 0, cold.Output + cold.Error);
        foreach (var stage in new[] { "genimage", "packimage", "imgexport" })
        {
            Assert.Contains($"{stage} {Image}: ran — ", cold.Output, StringComparison.Ordinal);
        }

        Assert.True(new FileInfo(Path.Combine(Bundles, $"{Image}.tgz")).Length > 50 << 20);

        // When it is applied again after genimage wrote its columns back, nothing changes
        var apply = _site.Run("recipe", "apply", Recipe);
        Assert.Equal(0, apply.ExitCode);
        Assert.DoesNotContain(": changed", apply.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(": new", apply.Output, StringComparison.Ordinal);

        // When it is built again, every stage is skipped with its reason
        var again = _site.Run("build", Recipe, "--bundles", Bundles);
        Assert.Equal(0, again.ExitCode);
        foreach (var stage in new[] { "genimage", "packimage", "imgexport" })
        {
            Assert.Contains($"{stage} {Image}: skipped — inputs and outputs unchanged since ", again.Output, StringComparison.Ordinal);
        }

        // When the shared postinstall step is edited, the plan reruns genimage for the script, then the others
        var common = Path.Combine(_recipes, "common", "compute.csx");
        File.WriteAllText(common, File.ReadAllText(common).Replace("/etc/xcatimg-recipe", "/etc/xcatimg-recipe-edited", StringComparison.Ordinal));
        var plan = _site.Run("plan", Recipe, "--bundles", Bundles);
        Assert.Contains(
            $"genimage {Image}: runs — postinstall script /install/custom/netboot/debian/compute.debian12.x86_64.postinstall changed",
            plan.Output, StringComparison.Ordinal);
        Assert.Contains($"packimage {Image}: runs — genimage runs first", plan.Output, StringComparison.Ordinal);
        Assert.Contains($"imgexport {Image}: runs — packimage runs first", plan.Output, StringComparison.Ordinal);

        // When it is built, genimage starts from the kept root instead of installing again and reuses the initrd
        var edited = _site.Run("build", Recipe, "--bundles", Bundles);
        Assert.True(edited.ExitCode == 0, edited.Output + edited.Error);
        Assert.Contains($"genimage {Image}: restore root", edited.Error, StringComparison.Ordinal);
        Assert.DoesNotContain($"genimage {Image}: bootstrap", edited.Error, StringComparison.Ordinal);
        Assert.Contains("genimage: the initrd's inputs", edited.Output, StringComparison.Ordinal);

        // And the root holds what the edited script wrote and nothing the old one left: it began before any postinstall
        var root = _site.Map("/install/netboot/debian12/x86_64/compute/rootimg");
        Assert.True(File.Exists(Path.Combine(root, "etc/xcatimg-recipe-edited")));
        Assert.False(File.Exists(Path.Combine(root, "etc/xcatimg-recipe")));
        Assert.Contains($"imgexport {Image}: ran — ", edited.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _site.Dispose();
}
