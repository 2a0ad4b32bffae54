using System.CommandLine;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli;

/// <summary>
/// The flags every verb that talks to a registry takes, <c>--insecure</c> and <c>--username</c>, and the client they
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

    /// <summary>Adds the flags to a verb.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Insecure);
        command.Options.Add(Username);
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
        return new RegistryClient(reference, parse.GetValue(Insecure), credentials);
    }
}
