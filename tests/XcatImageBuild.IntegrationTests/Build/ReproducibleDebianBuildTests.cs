using System.Text.Json;
using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Build;

/// <summary>
/// <c>xcatimg build --check-reproducible</c> on the Debian example recipe with <c>SOURCE_DATE_EPOCH</c>: the real
/// mmdebstrap builds it in the site and again in a scratch site, and the two bundles are byte-identical.
/// </summary>
public sealed class ReproducibleDebianBuildTests : IDisposable
{
    private const string Image = "debian12-x86_64-netboot-compute";
    private readonly TempSite _site = new();

    [Fact]
    public void The_debian_example_built_twice_under_SOURCE_DATE_EPOCH_gives_byte_identical_bundles()
    {
        // Given the Debian example recipe and SOURCE_DATE_EPOCH
        var recipes = Path.Combine(_site.Scratch, "recipes");
        RepositoryFiles.CopyTree(Path.Combine(RepositoryFiles.Root, "recipes"), recipes);
        var bundles = Path.Combine(_site.Scratch, "bundles");
        var environment = CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000");

        // When it is built with --check-reproducible
        var check = _site.Run(environment, "build", Path.Combine(recipes, "debian12-netboot-compute.csx"), "--bundles", bundles, "--check-reproducible", "--json");

        // Then both builds ran every stage, the check found the bundles byte-identical and named no difference
        var events = check.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var outcomes = events.Where(e => e.GetProperty("outcome").ValueKind == JsonValueKind.String)
            .Select(e => $"{e.GetProperty("stage").GetString()} {e.GetProperty("outcome").GetString()} {e.GetProperty("reason").GetString()}").ToList();
        Assert.True(check.ExitCode == 0, string.Join('\n', outcomes) + check.Error);
        foreach (var stage in new[] { "genimage", "packimage", "imgexport", "second genimage", "second packimage", "second imgexport" })
        {
            Assert.Contains(outcomes, o => o.StartsWith($"{stage} ran ", StringComparison.Ordinal));
        }

        Assert.Contains($"reproducible ran the two builds' bundles are byte-identical ({Image}.tgz)", outcomes);
        Assert.DoesNotContain(events, e => e.TryGetProperty("path", out _));

        // And the scratch site is gone, and the root holds no host keys and no machine-id but makes them on each node
        Assert.False(Directory.Exists(_site.Map("/var/lib/xcatimg/reproducible")));
        var root = _site.Map("/install/netboot/debian12/x86_64/compute/rootimg");
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "etc/ssh"), "ssh_host_*"));
        Assert.Contains("ExecStartPre=/usr/bin/ssh-keygen -A", File.ReadAllText(Path.Combine(root, "etc/systemd/system/ssh.service.d/xcatimg-host-keys.conf")), StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(Path.Combine(root, "etc/machine-id")).Length);
    }

    public void Dispose() => _site.Dispose();
}
