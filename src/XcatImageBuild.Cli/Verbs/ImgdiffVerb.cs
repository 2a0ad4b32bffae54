using System.CommandLine;
using XcatImageBuild.Diff;
using XcatImageBuild.Registry;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// <c>imgdiff A B [--json]</c>, each side a bundle file, a registry reference or an image of the site
/// (docs/imgdiff.md). Exit codes as diff's: 0 equal, 1 different, 2 an error.
/// </summary>
public static class ImgdiffVerb
{
    private const int ErrorExitCode = 2;

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var first = new Argument<string>("A") { Description = "A bundle file, a REGISTRY/REPO:TAG, or an image name in the site." };
        var second = new Argument<string>("B") { Description = "The same, to compare A with." };
        var json = new Option<bool>("--json") { Description = "Print the differences as one JSON object." };
        var registry = new RegistryOptions();
        var command = new Command("imgdiff", "Compares two images: rows, list files, kernel and initrd, SBOM packages, root image files. Exit 0 equal, 1 different, 2 error.")
        {
            first, second, json,
        };
        registry.AddTo(command);
        command.SetAction(parse => context.Execute(() =>
        {
            try
            {
                var pulls = new List<PulledBundle>();
                try
                {
                    var a = Load(context, parse, registry, parse.GetValue(first)!, pulls);
                    var b = Load(context, parse, registry, parse.GetValue(second)!, pulls);
                    var sides = new[] { a, b }.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(load => load()).ToArray();
                    var report = ImageDiff.Compare(sides[0], sides[1]);
                    if (parse.GetValue(json))
                    {
                        using var stdout = new MemoryStream();
                        report.WriteJson(stdout);
                        context.Output.WriteLine(System.Text.Encoding.UTF8.GetString(stdout.ToArray()));
                    }
                    else
                    {
                        report.WriteText(context.Output);
                    }

                    return report.Equal ? 0 : 1;
                }
                finally
                {
                    pulls.ForEach(p => p.Dispose());
                }
            }
            catch (AggregateException e) when (e.InnerException is XcatException inner)
            {
                throw new XcatException(inner.Message, ErrorExitCode, inner.Hint, inner);
            }
            catch (XcatException e) when (e.ExitCode != ErrorExitCode)
            {
                throw new XcatException(e.Message, ErrorExitCode, e.Hint, e);
            }
        }));
        return command;
    }

    // A file here is a bundle; otherwise a registry reference is pulled to a temporary directory; otherwise the
    // argument names an image of the site. The registry pull happens now, the reading in parallel afterwards.
    private static Func<ImageContents> Load(CliContext context, ParseResult parse, RegistryOptions registry, string argument, List<PulledBundle> pulls)
    {
        var tools = context.Runner();
        var file = Path.GetFullPath(argument, context.Environment.WorkingDirectory);
        if (File.Exists(file))
        {
            return () => ImageContentsLoader.FromBundle(file, argument, tools);
        }

        if (ImageReference.Looks(argument))
        {
            var reference = ImageReference.Parse(argument);
            using var client = registry.Client(context, parse, reference);
            var pulled = PulledBundle.Fetch(client, reference, Path.GetTempPath());
            pulls.Add(pulled);
            return () => ImageContentsLoader.FromBundle(pulled.Result.Path, argument, tools);
        }

        var site = context.OpenSite(parse);
        return () => ImageContentsLoader.FromSite(site, argument, tools);
    }
}
