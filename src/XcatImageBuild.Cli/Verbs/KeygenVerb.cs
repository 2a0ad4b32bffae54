using System.CommandLine;
using XcatImageBuild.Signing;

namespace XcatImageBuild.Cli.Verbs;

/// <summary><c>keygen [-o PREFIX]</c>: a new Ed25519 key pair in minisign's formats, for <c>imgexport --sign</c>.</summary>
public static class KeygenVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var output = new Option<string>("--output", "-o")
        {
            Description = $"Write PREFIX.key (the secret key, mode 0600) and PREFIX.pub (default {Keygen.DefaultPrefix}, in the current directory).",
            HelpName = "PREFIX",
            DefaultValueFactory = _ => Keygen.DefaultPrefix,
        };
        var command = new Command("keygen", "Creates a key pair for signing bundles (minisign's formats; never overwrites a key).") { output };
        command.SetAction(parse => context.Execute(() =>
        {
            var prefix = parse.GetValue(output);
            if (string.IsNullOrEmpty(prefix))
            {
                throw new XcatException("keygen -o needs a prefix for the key files.");
            }

            var (key, secretPath, publicPath) = Keygen.Run(prefix, context.Environment.WorkingDirectory);
            context.Output.WriteLine($"The secret key was saved as {secretPath} - keep it secret.");
            context.Output.WriteLine($"The public key was saved as {publicPath} (key id {key.KeyIdText}).");
            context.Output.WriteLine($"Sign a bundle with: xcatimg imgexport IMAGE --sign {secretPath}");
            context.Output.WriteLine($"Import only bundles it signed with: xcatimg imgimport BUNDLE --trusted-key {publicPath}");
            return 0;
        }));
        return command;
    }
}
