using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace XcatImageBuild.Registry;

/// <summary>
/// The certificate authorities a registry's TLS certificate may chain to besides the system's: a CA file given on the
/// command line, and every <c>*.crt</c> in <c>/etc/docker/certs.d/HOST:PORT/</c> and
/// <c>/etc/containers/certs.d/HOST:PORT/</c>, where docker and skopeo look for a private registry's CA. The host
/// name is checked against the certificate as always.
/// </summary>
public sealed class RegistryTrust
{
    private static readonly string[] CertificateDirectories = ["/etc/docker/certs.d", "/etc/containers/certs.d"];
    private readonly X509Certificate2Collection _roots;

    private RegistryTrust(X509Certificate2Collection roots, IReadOnlyList<string> sources)
    {
        _roots = roots;
        Sources = sources;
    }

    /// <summary>The files the extra authorities came from.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>Why the last certificate was refused, in words; null when none was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Where docker's convention puts a registry's CA, for messages.</summary>
    public static string DockerCertificatePath(string registry) => $"{CertificateDirectories[0]}/{registry}/ca.crt";

    /// <summary>Reads the authorities for a registry.</summary>
    /// <param name="registry">The registry's host and port, as in a reference.</param>
    /// <param name="caFile">A PEM or DER CA certificate file given by the user; null for none.</param>
    /// <exception cref="XcatException">The given file is missing or holds no certificate.</exception>
    public static RegistryTrust For(string registry, string? caFile)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var roots = new X509Certificate2Collection();
        var sources = new List<string>();
        if (caFile is not null)
        {
            Load(caFile, roots, sources);
        }

        foreach (var directory in CertificateDirectories)
        {
            var hostDirectory = Path.Combine(directory, registry);
            if (Directory.Exists(hostDirectory))
            {
                foreach (var file in Directory.GetFiles(hostDirectory, "*.crt").Order(StringComparer.Ordinal))
                {
                    Load(file, roots, sources);
                }
            }
        }

        return new RegistryTrust(roots, sources);
    }

    /// <summary>Accepts a certificate the system trusts, or one that chains to an extra authority; never a name mismatch.</summary>
    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            Refusal = "it is not issued to this host name";
            return false;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null)
        {
            Refusal = "no certificate was sent";
            return false;
        }

        if (_roots.Count == 0)
        {
            Refusal = $"it chains to no authority this machine trusts ({Status(chain)})";
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.AddRange(_roots);
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData())))
        {
            return true;
        }

        Refusal = $"it chains neither to an authority this machine trusts nor to {string.Join(", ", Sources)} ({Status(custom)})";
        return false;
    }

    private static string Status(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "no chain"
            : string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()).Where(text => text.Length > 0).Distinct(StringComparer.Ordinal));

    private static void Load(string file, X509Certificate2Collection roots, List<string> sources)
    {
        if (!File.Exists(file))
        {
            throw new XcatException($"The CA certificate {file} does not exist.");
        }

        var before = roots.Count;
        try
        {
            var text = File.ReadAllText(file);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                roots.ImportFromPem(text);
            }
            else
            {
                roots.Add(X509CertificateLoader.LoadCertificateFromFile(file));
            }
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new XcatException($"The CA certificate {file} cannot be read: {e.Message}", e);
        }

        if (roots.Count == before)
        {
            throw new XcatException($"The CA certificate {file} holds no certificate.");
        }

        sources.Add(file);
    }
}
