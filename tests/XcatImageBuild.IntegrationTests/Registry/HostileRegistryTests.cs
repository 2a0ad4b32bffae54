using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>imgpull against a registry that lies or breaks: a clear error, and nothing lands.</summary>
public sealed class HostileRegistryTests : IDisposable
{
    private readonly string _destination = Directory.CreateTempSubdirectory("xcatimg-hostile-").FullName;

    [Fact]
    public void A_manifest_whose_digest_does_not_match_is_refused()
    {
        using var registry = new MisbehavingRegistry(Misbehaviour.ManifestDigest);

        var pull = Pull(registry);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"The registry {registry.Address} sent a manifest for x/y:v1 whose digest is sha256:", pull.Error, StringComparison.Ordinal);
        Assert.Contains("not sha256:0000", pull.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_destination));
    }

    [Fact]
    public void An_artifact_of_another_type_is_refused()
    {
        using var registry = new MisbehavingRegistry(Misbehaviour.None, "application/vnd.example.helm.chart");

        var pull = Pull(registry);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains("is of type 'application/vnd.example.helm.chart', not an xCAT osimage (application/vnd.xcatimagebuild.osimage.v1)", pull.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_destination));
    }

    [Fact]
    public void A_blob_larger_than_declared_is_refused_while_it_arrives()
    {
        using var registry = new MisbehavingRegistry(Misbehaviour.LargerBlob);

        var pull = Pull(registry);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"sends more than the {registry.Blob.Length} bytes declared", pull.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_destination));
    }

    [Fact]
    public void A_pull_broken_off_midway_leaves_nothing_and_a_rerun_completes()
    {
        using var registry = new MisbehavingRegistry(Misbehaviour.Interrupted);

        var broken = Pull(registry);
        registry.Misbehaviour = Misbehaviour.None;
        var rerun = Pull(registry);

        Assert.Equal(1, broken.ExitCode);
        Assert.Contains($"from the registry {registry.Address} broke off after", broken.Error, StringComparison.Ordinal);
        Assert.True(rerun.ExitCode == 0, rerun.Error);
        Assert.Equal(["hostile-image.tgz"], Directory.GetFileSystemEntries(_destination).Select(Path.GetFileName));
        Assert.Equal(registry.Blob, File.ReadAllBytes(Path.Combine(_destination, "hostile-image.tgz")));
    }

    [Fact]
    public void A_bearer_challenge_is_answered_with_a_token_fetched_with_the_credentials()
    {
        using var registry = new MisbehavingRegistry(Misbehaviour.TokenAuth);

        var anonymous = Pull(registry);
        var refused = Pull(registry, "wrong");
        var pull = Pull(registry, "secret");

        Assert.Equal(1, anonymous.ExitCode);
        Assert.Contains($"The registry {registry.Address} refused anonymous access: HTTP 401 Unauthorized to GET /token", anonymous.Error, StringComparison.Ordinal);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"The registry {registry.Address} refused the credentials of 'alice': HTTP 401 Unauthorized", refused.Error, StringComparison.Ordinal);
        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.Equal(registry.Blob, File.ReadAllBytes(Path.Combine(_destination, "hostile-image.tgz")));
    }

    public void Dispose() => Directory.Delete(_destination, true);

    private CliResult Pull(MisbehavingRegistry registry, string? password = null)
    {
        var environment = CliEnvironment.FromProcess() with { WorkingDirectory = _destination };
        string[] args = ["imgpull", $"{registry.Address}/x/y:v1", "--insecure"];
        if (password is not null)
        {
            environment = environment.With("XCATIMG_REGISTRY_PASSWORD", password);
            args = [.. args, "--username", "alice"];
        }

        return Testing.Cli.Run(environment, args);
    }
}
