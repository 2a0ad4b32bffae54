using System.Diagnostics;
using XcatImageBuild.Testing;
using Xunit.Abstractions;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// The same Debian definition built twice with the same <c>SOURCE_DATE_EPOCH</c> — the fixture's build and one more
/// in a second site that starts with a copy of the first site's package cache — gives the same root tree.
/// </summary>
[Collection(GenimageTestGroup.Name)]
public sealed class ReproducibleDebianImageTests(DebianImageFixture image, ITestOutputHelper output)
{
    [Fact]
    public void Two_builds_of_the_same_Debian_definition_give_the_same_root_tree()
    {
        // Given the fixture's image, and a second site holding the same definition and a copy of its package cache
        Assert.True(image.Result.ExitCode == 0, image.Result.Error);
        using var second = new TempSite();
        CopyDirectory(image.Site.Map("/var/cache/xcatimg"), second.Map("/var/cache/xcatimg"));
        DebianImageFixture.Define(second, DebianImageFixture.ImageName, "/install/netboot/debian12/x86_64/compute");

        // When the second site builds it
        var clock = Stopwatch.StartNew();
        var result = DebianImageFixture.Build(second, DebianImageFixture.ImageName);
        output.WriteLine($"first build {image.BuildTime.TotalSeconds:F0} s, second build (package cache reused) {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(result.ExitCode == 0, result.Error);

        // Then the two roots hold the same paths with the same metadata and contents, and the initrds are the same bytes
        var differences = TreeDifferences.Between(image.BuiltRoot, TreeDifferences.Describe(second.Map("/install/netboot/debian12/x86_64/compute/rootimg")));
        Assert.True(differences.Count == 0, string.Join('\n', differences.Take(50)));
        Assert.Equal(
            image.BuiltInitrd,
            File.ReadAllBytes(second.Map("/install/netboot/debian12/x86_64/compute/initrd-stateless.gz")));
    }

    private static void CopyDirectory(string source, string target)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
