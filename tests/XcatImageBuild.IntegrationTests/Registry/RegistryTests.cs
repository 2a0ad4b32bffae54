using System.Security.Cryptography;
using System.Text.Json;
using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Registry;

/// <summary>imgpush, imgpull and imgimport against Debian's docker-registry, read back with skopeo.</summary>
public sealed class RegistryTests : IClassFixture<RegistryFixture>, IDisposable
{
    private const string Signature = "untrusted comment: signature from minisign secret key\nRWQf6LRCGA9i5+3bEMJ2aL3r\n";
    private const string Sbom = """{"spdxVersion":"SPDX-2.3","packages":[{"name":"bash","versionInfo":"5.2.15-2+b7"}]}""";

    private readonly RegistryFixture _registry;
    private readonly TempSite _site = new();
    private readonly string _bundle;
    private readonly string _plainBundle;

    public RegistryTests(RegistryFixture registry)
    {
        _registry = registry;
        _bundle = SampleBundle.Export(_site, _site.Scratch);
        _plainBundle = Path.Combine(Directory.CreateDirectory(Path.Combine(_site.Directory + "-plain")).FullName, "plain.tgz");
        File.Copy(_bundle, _plainBundle);
        SampleBundle.AddMembers(_bundle, new Dictionary<string, string> { ["SHA256SUMS.minisig"] = Signature, ["image.spdx.json"] = Sbom });
    }

    [Fact]
    public void A_pushed_bundle_is_an_osimage_artifact_that_skopeo_reads()
    {
        var reference = $"{_registry.Open}/xcatimg/inspect:v1";

        var push = Run("imgpush", _bundle, reference, "--insecure");

        Assert.Equal(0, push.ExitCode);
        var bytes = RegistryFixture.Run("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{reference}");
        Assert.Equal(Digest(push), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(bytes))));
        var raw = JsonDocument.Parse(bytes).RootElement;
        Assert.Equal("application/vnd.xcatimagebuild.osimage.v1", raw.GetProperty("artifactType").GetString());
        var layer = raw.GetProperty("layers")[0];
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_bundle))), layer.GetProperty("digest").GetString());
        Assert.Equal(new FileInfo(_bundle).Length, layer.GetProperty("size").GetInt64());
        var annotations = raw.GetProperty("annotations");
        Assert.Equal(NetbootImage.Name, annotations.GetProperty("xcatimagebuild.osimage.name").GetString());
        Assert.Equal("debian12", annotations.GetProperty("xcatimagebuild.osimage.osvers").GetString());
        Assert.Equal("x86_64", annotations.GetProperty("xcatimagebuild.osimage.osarch").GetString());
        Assert.Equal("compute", annotations.GetProperty("xcatimagebuild.osimage.profile").GetString());
        Assert.Equal("netboot", annotations.GetProperty("xcatimagebuild.osimage.provmethod").GetString());
        Assert.StartsWith("sha256:", annotations.GetProperty("xcatimagebuild.osimage.sha256sums.digest").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-01-02T03:04:05Z", annotations.GetProperty("org.opencontainers.image.created").GetString());
    }

    [Fact]
    public void Pushing_the_same_bundle_twice_gives_the_same_manifest_digest()
    {
        var first = Run("imgpush", _bundle, $"{_registry.Open}/xcatimg/twice:a", "--insecure");
        var second = Run("imgpush", _bundle, $"{_registry.Open}/xcatimg/twice:b", "--insecure");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(Digest(first), Digest(second));
    }

    [Fact]
    public void The_signature_and_the_sbom_are_referrers_listed_under_the_fallback_tag()
    {
        var reference = $"{_registry.Open}/xcatimg/referrers:v1";
        var push = Run("imgpush", _bundle, reference, "--insecure");
        Run("imgpush", _bundle, reference, "--insecure");

        var fallback = $"{_registry.Open}/xcatimg/referrers:{Digest(push).Replace(':', '-')}";
        var index = JsonDocument.Parse(RegistryFixture.Run("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{fallback}")).RootElement;
        var types = index.GetProperty("manifests").EnumerateArray().Select(m => m.GetProperty("artifactType").GetString()).ToList();
        Assert.Equal(["application/vnd.xcatimagebuild.osimage.signature.v1+minisign", "application/spdx+json"], types);
        var sbom = index.GetProperty("manifests")[1].GetProperty("digest").GetString();
        var referrer = JsonDocument.Parse(RegistryFixture.Run("skopeo", "inspect", "--raw", "--tls-verify=false", $"docker://{_registry.Open}/xcatimg/referrers@{sbom}")).RootElement;
        Assert.Equal(Digest(push), referrer.GetProperty("subject").GetProperty("digest").GetString());
    }

    [Fact]
    public void A_pulled_bundle_has_the_pushed_bytes_and_names_its_referrers()
    {
        var reference = $"{_registry.Open}/xcatimg/pull:v1";
        Assert.Equal(0, Run("imgpush", _bundle, reference, "--insecure").ExitCode);
        var destination = Directory.CreateTempSubdirectory("xcatimg-pull-").FullName;

        var pull = RunIn(destination, "imgpull", reference, "--insecure");

        Assert.Equal(0, pull.ExitCode);
        Assert.Equal(File.ReadAllBytes(_bundle), File.ReadAllBytes(Path.Combine(destination, NetbootImage.Name + ".tgz")));
        Assert.Equal([NetbootImage.Name + ".tgz"], Directory.GetFiles(destination).Select(Path.GetFileName));
        Assert.Contains("Referrer: application/spdx+json", pull.Output, StringComparison.Ordinal);
        Directory.Delete(destination, true);
    }

    [Fact]
    public void Imgimport_takes_a_registry_reference_in_place_of_a_file()
    {
        var reference = $"{_registry.Open}/xcatimg/import:v1";
        Assert.Equal(0, Run("imgpush", _plainBundle, reference, "--insecure").ExitCode);
        using var other = new TempSite();

        var import = other.Run("imgimport", reference, "--insecure");

        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Contains(NetbootImage.Name, other.Run("lsdef", "-t", "osimage").Output, StringComparison.Ordinal);
        Assert.True(File.Exists(other.Map("/install/netboot/debian12/x86_64/compute/rootimg.cpio.gz")));
    }

    [Fact]
    public void A_registry_with_basic_auth_takes_the_user_and_the_password_from_the_environment()
    {
        var reference = $"{_registry.WithAuth}/xcatimg/auth:v1";
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", _registry.Password);

        var push = _site.Run(environment, "imgpush", _bundle, reference, "--insecure", "--username", _registry.User);

        Assert.True(push.ExitCode == 0, push.Error);
        var raw = RegistryFixture.Run("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", $"{_registry.User}:{_registry.Password}", $"docker://{reference}");
        Assert.Contains("application/vnd.xcatimagebuild.osimage.v1", raw, StringComparison.Ordinal);
    }

    [Fact]
    public void A_registry_over_tls_with_a_private_ca_takes_the_ca_from_ca_cert_and_gives_back_the_same_bytes()
    {
        var reference = $"{_registry.WithTls}/xcatimg/tls:v1";
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", _registry.Password) with { WorkingDirectory = _site.Scratch };

        var push = _site.Run(environment, "imgpush", _bundle, reference, "--username", _registry.User, "--ca-cert", _registry.TlsCa);
        var pull = _site.Run(environment, "imgpull", reference, "pulled.tgz", "--username", _registry.User, "--ca-cert", _registry.TlsCa);

        Assert.True(push.ExitCode == 0, push.Error);
        Assert.True(pull.ExitCode == 0, pull.Error);
        Assert.Equal(File.ReadAllBytes(_bundle), File.ReadAllBytes(Path.Combine(_site.Scratch, "pulled.tgz")));
        // skopeo, verifying TLS against the same CA the way docker does (a directory holding ca.crt), reads what was pushed
        var certificates = Directory.CreateDirectory(Path.Combine(_site.Directory + "-certs")).FullName;
        File.Copy(_registry.TlsCa, Path.Combine(certificates, "ca.crt"));
        var raw = RegistryFixture.Run("skopeo", "inspect", "--raw", "--cert-dir", certificates, "--creds", $"{_registry.User}:{_registry.Password}", $"docker://{reference}");
        Assert.Equal(Digest(push), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(raw))));
    }

    [Fact]
    public void A_registry_over_tls_whose_ca_is_not_trusted_is_an_error_naming_it_and_nothing_lands()
    {
        var reference = $"{_registry.WithTls}/xcatimg/untrusted:v1";
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", _registry.Password) with { WorkingDirectory = _site.Scratch };

        var pull = _site.Run(environment, "imgpull", reference, "--username", _registry.User);
        var push = _site.Run(environment, "imgpush", _bundle, reference, "--username", _registry.User);

        Assert.Equal(1, pull.ExitCode);
        Assert.Equal(1, push.ExitCode);
        Assert.Contains($"Error: The registry {_registry.WithTls} (https://{_registry.WithTls}) has a TLS certificate that is not trusted: it chains to no authority this machine trusts", pull.Error, StringComparison.Ordinal);
        Assert.Contains($"Give its CA with --ca-cert FILE, or put it in /etc/docker/certs.d/{_registry.WithTls}/ca.crt.", push.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", pull.Error, StringComparison.Ordinal);
        Assert.Equal([_bundle], Directory.GetFiles(_site.Scratch));
        var tags = RegistryFixture.Run("curl", "-s", "--cacert", _registry.TlsCa, "-u", $"{_registry.User}:{_registry.Password}", $"https://{_registry.WithTls}/v2/xcatimg/untrusted/tags/list");
        Assert.DoesNotContain("v1", tags, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_password_over_tls_names_the_registry_and_the_status()
    {
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", "wrong") with { WorkingDirectory = _site.Scratch };

        var pull = _site.Run(environment, "imgpull", $"{_registry.WithTls}/xcatimg/tls:v1", "--username", _registry.User, "--ca-cert", _registry.TlsCa);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"The registry {_registry.WithTls} refused the credentials of '{_registry.User}': HTTP 401 Unauthorized", pull.Error, StringComparison.Ordinal);
        Assert.Equal([_bundle], Directory.GetFiles(_site.Scratch));
    }

    [Fact]
    public void A_refused_password_is_an_error_naming_the_registry_and_the_status_and_nothing_lands()
    {
        var reference = $"{_registry.WithAuth}/xcatimg/refused:v1";
        var environment = CliEnvironment.FromProcess().With("XCATIMG_REGISTRY_PASSWORD", "wrong") with { WorkingDirectory = _site.Scratch };

        var pull = _site.Run(environment, "imgpull", reference, "--insecure", "--username", _registry.User);

        Assert.Equal(1, pull.ExitCode);
        Assert.Contains($"The registry {_registry.WithAuth} refused the credentials of '{_registry.User}': HTTP 401 Unauthorized", pull.Error, StringComparison.Ordinal);
        Assert.Equal([_bundle], Directory.GetFiles(_site.Scratch));
    }

    [Fact]
    public void An_unreachable_registry_is_an_error_naming_it()
    {
        var pull = Run("imgpull", "127.0.0.1:9/xcatimg/none:v1", "--insecure");

        Assert.Equal(1, pull.ExitCode);
        Assert.StartsWith("Error: Cannot reach the registry 127.0.0.1:9 (http://127.0.0.1:9)", pull.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_http_needs_insecure_and_a_loopback_registry()
    {
        var https = Run("imgpull", $"{_registry.Open}/xcatimg/pull:v1");
        var remote = Run("imgpull", "registry.example.org/xcatimg/pull:v1", "--insecure");

        Assert.Equal(1, https.ExitCode);
        Assert.Contains($"Cannot reach the registry {_registry.Open} (https://", https.Error, StringComparison.Ordinal);
        Assert.Contains("needs --insecure", https.Error, StringComparison.Ordinal);
        Assert.Contains("--insecure (plain HTTP) is allowed only for a registry on this machine, not registry.example.org", remote.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        Directory.Delete(Path.GetDirectoryName(_plainBundle)!, true);
        _site.Dispose();
    }

    private static string Digest(CliResult push) =>
        push.Output.Split('\n').Single(l => l.StartsWith("Digest: ", StringComparison.Ordinal))["Digest: ".Length..].Trim();

    private CliResult Run(params string[] args) => RunIn(_site.Scratch, args);

    private CliResult RunIn(string workingDirectory, params string[] args) =>
        _site.Run(CliEnvironment.FromProcess() with { WorkingDirectory = workingDirectory }, args);
}
