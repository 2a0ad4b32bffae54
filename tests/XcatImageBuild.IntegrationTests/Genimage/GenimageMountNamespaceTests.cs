using System.Diagnostics;
using XcatImageBuild.Cli;
using XcatImageBuild.Genimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// The real xcatimg executable, run as root, does genimage's mounts in a mount namespace of its own: the host's mount
/// table never holds them, and a genimage killed with SIGKILL leaves none behind.
/// </summary>
public sealed class GenimageMountNamespaceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(5);

    [Fact]
    public void Genimage_mounts_inside_its_own_namespace_and_the_host_never_sees_them()
    {
        // Given a dnf image over the local repositories
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4");

        // When the real executable builds it, while the host's mount table and every process's are watched
        var watch = new MountWatch(site.Directory);
        using var genimage = Start(site, "genimage", name);
        while (!genimage.HasExited)
        {
            watch.Look();
            Thread.Sleep(20);
        }

        // Then genimage's processes had /proc, /sys and /dev mounted in the root, and the host never had any of them
        try
        {
            Assert.Contains(watch.SeenInside, p => p.EndsWith("/rootimg/proc", StringComparison.Ordinal));
            Assert.Empty(watch.SeenOnHost);
            Assert.Empty(ImageRows.MountsUnder(site));
            Assert.Equal(["xcatimg-test-base", "xcatimg-test-extra", "xcatimg-test-tool"], RpmImage.InstalledPackages(site.Map("/install/netboot/rocky9.4/x86_64/compute/rootimg")));
        }
        finally
        {
            RootMounts.UnmountAllUnder(site.Directory, new ProcessRunner());
        }
    }

    [Fact]
    public void A_genimage_killed_while_its_mounts_are_up_leaves_no_mount_behind()
    {
        // Given a genimage of the real executable whose package step has mounted the kernel file systems in the root
        using var site = new TempSite();
        var name = RpmImage.Define(site, "rocky9.4", postinstall: "sleep 600");
        var watch = new MountWatch(site.Directory);
        using var genimage = Start(site, "genimage", name);
        var started = Stopwatch.StartNew();
        while (watch.SeenInside.Count == 0 && !genimage.HasExited && started.Elapsed < Bound)
        {
            watch.Look();
            Thread.Sleep(10);
        }

        try
        {
            Assert.NotEmpty(watch.SeenInside);

            // When it is killed, with every process it started
            genimage.Kill(entireProcessTree: true);
            genimage.WaitForExit();

            // Then, once its processes are gone, no mount is left under the site, on the host or anywhere else
            var gone = Stopwatch.StartNew();
            while (MountWatch.AnyProcessMounts(site.Directory) && gone.Elapsed < TimeSpan.FromSeconds(30))
            {
                Thread.Sleep(100);
            }

            Assert.Empty(ImageRows.MountsUnder(site));
            Assert.False(MountWatch.AnyProcessMounts(site.Directory), "a process still holds a mount under the site");
        }
        finally
        {
            RootMounts.UnmountAllUnder(site.Directory, new ProcessRunner());
        }
    }

    [Theory]
    [InlineData(new[] { "genimage", "img" }, "genimage")]
    [InlineData(new[] { "--site", "/srv/site", "build", "r.csx" }, "build")]
    [InlineData(new[] { "--site=/srv/site", "--debug", "packimage", "img" }, "packimage")]
    [InlineData(new[] { "--help" }, null)]
    public void The_verb_is_the_first_word_that_is_not_an_option_or_the_site(string[] args, string? verb)
    {
        Assert.Equal(verb, MountNamespace.Verb(args));
    }

    private static Process Start(TempSite site, params string[] args)
    {
        var start = new ProcessStartInfo(new ProcessRunner().FindExecutable("dotnet") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "xcatimg.dll"), "--site", site.Directory, .. args])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(MountNamespace.InsideVariable);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The mount points under a directory seen in the host's table and in any process's table.</summary>
    private sealed class MountWatch(string directory)
    {
        private readonly string _prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";

        public HashSet<string> SeenOnHost { get; } = new(StringComparer.Ordinal);

        public HashSet<string> SeenInside { get; } = new(StringComparer.Ordinal);

        public void Look()
        {
            SeenOnHost.UnionWith(RootMounts.MountPointsUnder(directory));
            foreach (var table in ProcessTables())
            {
                SeenInside.UnionWith(Under(table, _prefix));
            }
        }

        public static bool AnyProcessMounts(string directory)
        {
            var prefix = Path.GetFullPath(directory).TrimEnd('/') + "/";
            return ProcessTables().Any(table => Under(table, prefix).Any());
        }

        private static IEnumerable<string[]> ProcessTables()
        {
            foreach (var process in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
            {
                string[] lines;
                try
                {
                    lines = File.ReadAllLines(Path.Combine(process, "mountinfo"));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // The process ended while it was read.
                    continue;
                }

                yield return lines;
            }
        }

        private static IEnumerable<string> Under(string[] table, string prefix) =>
            table.Select(line => line.Split(' ')[4]).Where(point => point.StartsWith(prefix, StringComparison.Ordinal));
    }
}
