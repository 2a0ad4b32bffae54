using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>imgpush and imgpull against docker-registry with token authentication, read back with skopeo.</summary>
public sealed class TokenRegistryTests : IClassFixture<TokenRegistry>, IDisposable
{
    private readonly TokenRegistry _registry;
    private readonly TempSite _site = new();
    private readonly string _bundle;

    public TokenRegistryTests(TokenRegistry registry)
    {
        _registry = registry;
        _bundle = SampleBundle.Export(_site, _site.Scratch);
    }

    [Fact]
    public void A_registry_with_token_auth_gets_a_token_for_the_credentials_and_gives_back_the_same_bytes()
    {
        var reference = $"{_registry.Address}/xcatimg/token:v1";
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", _registry.Password) with { WorkingDirectory = _site.Scratch };
        var before = _registry.TokensIssued;

        var push = _site.Run(environment, "imgpush", _bundle, reference, "--insecure", "--username", _registry.User);
        var pull = _site.Run(environment, "imgpull", reference, "pulled.tgz", "--insecure", "--username", _registry.User);

        Assert.True(push.ExitCode == 0, push.Error);
        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.True(_registry.TokensIssued > before);
        Assert.Equal(File.ReadAllBytes(_bundle), File.ReadAllBytes(Path.Combine(_site.Scratch, "pulled.tgz")));
        var raw = RegistryFixture.Run("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", $"{_registry.User}:{_registry.Password}", $"docker://{reference}");
        Assert.Contains("application/vnd.xcatimagebuild.osimage.v1", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void A_token_service_that_refuses_the_password_is_an_error_naming_the_registry_and_the_status()
    {
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", "wrong") with { WorkingDirectory = _site.Scratch };

        var push = _site.Run(environment, "imgpush", _bundle, $"{_registry.Address}/xcatimg/refused:v1", "--insecure", "--username", _registry.User);

        Assert.Equal(1, push.ExitCode);
        Assert.Contains($"The registry {_registry.Address} refused the credentials of '{_registry.User}': HTTP 401 Unauthorized", push.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", push.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_credentials_the_token_service_refuses_and_nothing_is_pulled()
    {
        var environment = CliEnvironment.FromProcess() with { WorkingDirectory = _site.Scratch };

        var pull = _site.Run(environment, "imgpull", $"{_registry.Address}/xcatimg/token:v1", "--insecure");

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"{_registry.Address}", pull.Error, StringComparison.Ordinal);
        Assert.Contains("401", pull.Error, StringComparison.Ordinal);
        Assert.Equal([_bundle], Directory.GetFiles(_site.Scratch));
    }

    public void Dispose() => _site.Dispose();
}
