using XcatImageBuild.Cli;

return XcatCli.Run(args, Console.Out, Console.Error, CliEnvironment.FromProcess(), Console.In);
