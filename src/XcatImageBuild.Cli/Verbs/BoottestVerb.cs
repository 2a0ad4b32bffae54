using System.CommandLine;
using System.Globalization;
using XcatImageBuild.Boottest;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>boottest NODE [--timeout SECONDS] [--memory MIB] [--file PATH]...</c>: boots the node's image in qemu through
/// iPXE and the xnba file nodeset wrote, and waits for the booted system's ready marker.
/// </summary>
public static class BoottestVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var node = new Argument<string>("node") { Description = "The node to boot; nodeset must have set it to a diskless image." };
        var timeout = new Option<int>("--timeout") { Description = "Seconds the node has to print its ready marker.", DefaultValueFactory = _ => 600 };
        var memory = new Option<int>("--memory") { Description = "The guest's memory in MiB (the root image is unpacked into it).", DefaultValueFactory = _ => 2048 };
        var files = new Option<string[]>("--file") { Description = "A file the booted system must report present (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("boottest", "Boot a node's diskless image in qemu as the cluster would, and check the booted system.")
        {
            node, timeout, memory, files,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var seconds = parse.GetValue(timeout);
            var mib = parse.GetValue(memory);
            if (seconds <= 0 || mib < 256)
            {
                throw new XcatException($"boottest: --timeout must be positive and --memory at least 256 (got {seconds} and {mib}).");
            }

            var options = new BoottestOptions
            {
                Timeout = TimeSpan.FromSeconds(seconds),
                MemoryMiB = mib,
                ExpectedFiles = parse.GetValue(files) ?? [],
            };
            var runner = context.Runner(line => context.Progress.Info("  " + line));
            var result = new BoottestStage(context.OpenSite(parse), runner, context.Progress).Run(parse.GetValue(node)!, options);
            context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Node}: booted {result.Image} in {result.Elapsed.TotalSeconds:0} s: {result.Marker}"));
            return 0;
        }));
        return command;
    }
}
