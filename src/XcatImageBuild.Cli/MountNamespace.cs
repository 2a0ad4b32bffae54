using System.Diagnostics;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Cli;

/// <summary>
/// genimage mounts <c>/proc</c>, <c>/sys</c>, <c>/dev</c> and cache directories into the root it builds. Run as root, the
/// verbs that do (<c>genimage</c> and <c>build</c>) re-run this executable inside a mount namespace of its own
/// (util-linux <c>unshare --mount --propagation private</c>), so those mounts are never in the host's mount table and
/// the kernel drops them when the last process of the namespace exits: a genimage that is killed, even with
/// SIGKILL, cannot leave a mount under an image, where a later <c>rm -rf</c> or rmimage would reach through it into
/// the host. A machine where the namespace cannot be made (a container without CAP_SYS_ADMIN) runs the verb as before,
/// its mounts then removed by genimage itself as they always were.
/// </summary>
public static class MountNamespace
{
    /// <summary>Set in the re-run process, so it does not re-run itself again.</summary>
    public const string InsideVariable = "XCATIMG_MOUNT_NAMESPACE";

    private static readonly string[] MountingVerbs = ["genimage", "build"];

    /// <summary>
    /// The command that runs <paramref name="args"/> inside a private mount namespace, or null when this process
    /// should run them itself: not root, already inside, a verb that mounts nothing, or no namespace to be had here.
    /// </summary>
    public static ToolCommand? Command(string[] args, CliEnvironment environment, IProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(runner);
        if (!Environment.IsPrivilegedProcess || environment[InsideVariable] is not null || Verb(args) is not { } verb
            || !MountingVerbs.Contains(verb, StringComparer.Ordinal) || runner.FindExecutable("unshare") is null)
        {
            return null;
        }

        if (runner.RunUnchecked(new ToolCommand("unshare", ["--mount", "--propagation", "private", "true"])).ExitCode != 0)
        {
            return null;
        }

        // Started as `dotnet xcatimg.dll ...`, the host is the process and the assembly its first argument.
        var process = Environment.ProcessPath!;
        string[] self = Path.GetFileNameWithoutExtension(process) == "dotnet" ? [process, typeof(MountNamespace).Assembly.Location] : [process];
        return new ToolCommand("unshare", ["--mount", "--propagation", "private", "--fork", "--kill-child", "--", .. self, .. args]);
    }

    /// <summary>Runs <paramref name="command"/> with this process's standard streams and returns its exit code.</summary>
    public static int Run(ToolCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var start = new ProcessStartInfo(command.Tool) { UseShellExecute = false };
        foreach (var argument in command.Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[InsideVariable] = "1";
        using var process = Process.Start(start)!;
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>The verb of a command line: its first word that is neither an option nor the value of <c>--site</c>.</summary>
    public static string? Verb(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--site")
            {
                i++;
            }
            else if (!args[i].StartsWith('-'))
            {
                return args[i];
            }
        }

        return null;
    }
}
