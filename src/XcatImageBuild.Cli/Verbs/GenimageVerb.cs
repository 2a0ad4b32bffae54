using System.CommandLine;
using XcatImageBuild.Genimage;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>genimage IMAGE [--noupdate] [-k kernelver] [-n netdrivers] [--onlyinitrd] [--dryrun]</c>: builds a diskless
/// image's root, kernel and initrd. <c>SOURCE_DATE_EPOCH</c> in the environment makes the root reproducible.
/// </summary>
public static class GenimageVerb
{
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var image = new Argument<string>("imagename") { Description = "The osimage to build (its osimage and linuximage rows)." };
        var noUpdate = new Option<bool>("--noupdate") { Description = "Do not update the packages already in the image." };
        var kernel = new Option<string?>("-k", "--kernelver") { Description = "The kernel version to use (default: the newest in the image).", HelpName = "KERNELVER" };
        var drivers = new Option<string?>("-n", "--netdrivers") { Description = "Comma-separated drivers for the initrd.", HelpName = "DRIVERS" };
        var onlyInitrd = new Option<bool>("--onlyinitrd") { Description = "Only copy the kernel and rebuild the initrd of the existing root." };
        var dryRun = new Option<bool>("--dryrun") { Description = "Print what would be built and change nothing." };
        var command = new Command("genimage", "Generate a stateless or statelite image: root tree, kernel and initrd.")
        {
            image, noUpdate, kernel, drivers, onlyInitrd, dryRun,
        };
        command.SetAction(parse => context.Execute(() =>
        {
            var site = context.OpenSite(parse);
            var options = new GenimageOptions(parse.GetValue(image)!)
            {
                NoUpdate = parse.GetValue(noUpdate),
                KernelVersion = parse.GetValue(kernel),
                NetDrivers = parse.GetValue(drivers),
                OnlyInitrd = parse.GetValue(onlyInitrd),
                DryRun = parse.GetValue(dryRun),
                SourceDateEpoch = context.SourceDateEpoch(),
                Environment = context.Environment.Variables,
            };
            var runner = context.Runner(line => context.Progress.Info("  " + line));
            var result = new GenimageStage(site, runner, context.Progress).Run(options);
            foreach (var line in result.Plan)
            {
                context.Output.WriteLine(line);
            }

            if (!result.IsDryRun)
            {
                context.Output.WriteLine($"the kernel {result.KernelVersion} is at {result.Kernel}");
                foreach (var initrd in result.Initrds)
                {
                    context.Output.WriteLine($"the initrd is at {initrd}");
                }
            }

            return 0;
        }));
        return command;
    }
}
