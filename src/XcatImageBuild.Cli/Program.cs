using XcatImageBuild.Cli;
using XcatImageBuild.Processes;

var environment = CliEnvironment.FromProcess();
return MountNamespace.Command(args, environment, new ProcessRunner()) is { } inside
    ? MountNamespace.Run(inside)
    : XcatCli.Run(args, Console.Out, Console.Error, environment, Console.In);
