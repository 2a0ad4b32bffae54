using System.Diagnostics;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Build;

/// <summary>
/// <c>dotnet cake --target=Bundle</c> as a newcomer runs it, on a copy of the repository: the SLES install example (no
/// packages needed) becomes a bundle, and a second run shows each image step in Cake's task summary, skipped with
/// xcatimg's reason. Publishes the ReadyToRun CLI, so it takes a minute or two.
/// </summary>
public sealed class CakeBundleTests : IDisposable
{
    private readonly TempSite _site = new();

    [Fact]
    public void Bundle_builds_the_sles_example_and_a_second_run_lists_every_skipped_step_with_its_reason()
    {
        // Given a copy of the repository and a site
        var repository = Path.Combine(_site.Scratch, "repository");
        CopyRepository(RepositoryFiles.Root, repository);
        var bundles = Path.Combine(_site.Scratch, "bundles");
        string[] bundle = ["--target=Bundle", "--recipe=recipes/sles15-install-compute.csx", $"--site={_site.Directory}", $"--bundles={bundles}"];

        // When the Bundle target runs
        var (firstExit, first) = Cake(repository, bundle);

        // Then imgexport ran as a task of its own and the bundle is there
        Assert.True(firstExit == 0, first);
        Assert.Matches(@"(?m)^\s+imgexport[^\n]*\s\d\d:\d\d:\d\d\.\d+\s+Succeeded", first);
        Assert.True(File.Exists(Path.Combine(bundles, "sles15.5-x86_64-install-compute.tgz")), first);

        // When it runs again
        var (secondExit, second) = Cake(repository, bundle);

        // Then no step runs, and the summary lists each as Skipped with its reason
        Assert.True(secondExit == 0, second);
        Assert.DoesNotContain("imgexport sles15.5-x86_64-install-compute: ran", second, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+apply[^\n]*\s-\s+Skipped\s+the", second);
        Assert.Matches(@"(?m)^\s+imgexport[^\n]*\s-\s+Skipped\s+inputs", second);
    }

    public void Dispose() => _site.Dispose();

    private static (int Exit, string Output) Cake(string directory, string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("cake");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var restore = Process.Start(new ProcessStartInfo("dotnet", "tool restore") { WorkingDirectory = directory, RedirectStandardOutput = true })!;
        restore.StandardOutput.ReadToEnd();
        restore.WaitForExit();
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }

    // What the Cake script builds from: the sources, recipes, templates, the tool manifest and the props, without the
    // build outputs.
    private static void CopyRepository(string from, string to)
    {
        foreach (var directory in new[] { "src", "recipes", "templates", ".config" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(from, directory), "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (relative.Split('/').Any(part => part is "bin" or "obj"))
                {
                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(to, relative))!);
                File.Copy(file, Path.Combine(to, relative));
            }
        }

        foreach (var file in new[] { "build.cake", "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(from, file), Path.Combine(to, file));
        }
    }
}
