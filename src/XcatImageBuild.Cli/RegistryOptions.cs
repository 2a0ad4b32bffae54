using System.CommandLine;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli;

/// <summary>
/// The flags every verb that talks to a registry takes, <c>--insecure</c>, <c>--username</c> and <c>--ca-cert</c>, and the client they
/// make: the password from <see cref="RegistryCredentials.PasswordVariable"/>, else <c>$DOCKER_CONFIG/config.json</c>
/// or <c>~/.docker/config.json</c>.
/// </summary>
public sealed class RegistryOptions
{
    public Option<bool> Insecure { get; } = new("--insecure")
    {
        Description = "Speak plain HTTP to the registry instead of HTTPS (only for a registry on loopback).",
    };

    public Option<string?> Username { get; } = new("--username")
    {
        Description = $"The registry user; the password comes from ${RegistryCredentials.PasswordVariable} or ~/.docker/config.json.",
        HelpName = "USER",
    };

    public Option<string?> CaCertificate { get; } = new("--ca-cert")
    {
        Description = "A CA certificate (PEM) the registry's TLS certificate may chain to, besides the system's and /etc/docker/certs.d/HOST:PORT/*.crt.",
        HelpName = "FILE",
    };

    /// <summary>Adds the flags to a verb.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Insecure);
        command.Options.Add(Username);
        command.Options.Add(CaCertificate);
    }

    /// <summary>A client for the reference's registry, with the credentials the flags and the environment give.</summary>
    /// <exception cref="XcatException">The credentials are incomplete or unreadable, or --insecure names a remote registry.</exception>
    public RegistryClient Client(CliContext context, ParseResult parse, ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(reference);
        var configDirectory = context.Environment["DOCKER_CONFIG"]
            ?? (context.Environment["HOME"] is { Length: > 0 } home ? Path.Combine(home, ".docker") : null);
        var credentials = RegistryCredentials.Resolve(
            reference.Registry,
            parse.GetValue(Username),
            context.Environment[RegistryCredentials.PasswordVariable],
            configDirectory is null ? null : Path.Combine(configDirectory, "config.json"));
        var caFile = parse.GetValue(CaCertificate) is { } given ? Path.GetFullPath(given, context.Environment.WorkingDirectory) : null;
        return new RegistryClient(reference, parse.GetValue(Insecure), credentials, trust: RegistryTrust.For(reference.Registry, caFile));
    }
}
