using System.Diagnostics;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Testing;
using Xunit.Abstractions;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Kills the real CLI (a child process, <c>dotnet xcatimg.dll</c>) in the middle of an import — at each named point of
/// the commit, and after random delays — then runs the next command, and requires the site to be exactly as it was
/// before the import or exactly as a complete import leaves it.
/// </summary>
public sealed class ImportKillTests : IClassFixture<ImportKillTests.Bundle>
{
    private readonly Bundle _bundle;
    private readonly ITestOutputHelper _log;

    public ImportKillTests(Bundle bundle, ITestOutputHelper log)
    {
        _bundle = bundle;
        _log = log;
    }

    /// <summary>A bundle big enough to take a while (a 32 MiB rootimg and 400 extra files), and the two acceptable outcomes.</summary>
    public sealed class Bundle : IDisposable
    {
        public Bundle()
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("xcatimg-kill-").FullName;
            var rootimg = new byte[32 * 1024 * 1024];
            new Random(7).NextBytes(rootimg);
            var bundle = TestBundle.Netboot(change: m => m.Extras.Add(new ManifestExtra("/srv/tree", "/install/postscripts/tree")))
                .File("./img/rootimg.cpio.gz", rootimg).Directory("./img/extra/srv/").Directory("./img/extra/srv/tree/");
            bundle.Without("./img/rootimg.cpio.gz").File("./img/rootimg.cpio.gz", rootimg);
            for (var i = 0; i < 400; i++)
            {
                bundle.File($"./img/extra/srv/tree/script{i:D3}", $"#!/bin/sh\necho {i}\n");
            }

            Path = bundle.WithChecksums().WriteTo(Directory);
            using var before = HostileBundleTests.PopulatedSite();
            Before = SiteSnapshot.Take(before);
            var imported = before.Run("imgimport", Path);
            Assert.True(imported.ExitCode == 0, imported.Error);
            After = SiteSnapshot.Take(before);
        }

        public string Directory { get; }

        public string Path { get; }

        public string Before { get; }

        public string After { get; }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    [Theory]
    [InlineData(ImportCommitStep.JournalWritten, false)]
    [InlineData(ImportCommitStep.FilesPrepared, false)]
    [InlineData(ImportCommitStep.FileMoved, false)]
    [InlineData(ImportCommitStep.BeforeTransaction, false)]
    [InlineData(ImportCommitStep.AfterTransaction, true)]
    public void An_import_killed_at_a_step_of_its_commit_is_rolled_back_or_finished_by_the_next_command(ImportCommitStep step, bool committed)
    {
        // Given a site, and an import that is killed (SIGKILL) at the step
        using var site = HostileBundleTests.PopulatedSite();
        var killed = Run(CrashHost(step, site));
        Assert.Equal(137, killed.ExitCode);
        Assert.True(File.Exists(site.Map(ImportJournal.LogicalPath)));

        // When the next command opens the site
        var next = RunCli(site, ["tabdump", "osimage"]);

        // Then it says what it did, and the site is as before the import, or fully imported once the transaction committed
        Assert.Equal(0, next.ExitCode);
        Assert.Contains(committed ? "Warning: Finished the interrupted import of" : "Warning: Rolled back the interrupted import of", next.Error, StringComparison.Ordinal);
        Assert.Equal(committed ? _bundle.After : _bundle.Before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void An_import_killed_after_random_delays_leaves_the_site_before_or_fully_imported()
    {
        // Given how long an undisturbed import takes
        using (var timing = HostileBundleTests.PopulatedSite())
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal(0, RunCli(timing, ["imgimport", _bundle.Path]).ExitCode);
            _duration = clock.Elapsed;
        }

        var random = new Random(2026);
        var killedBeforeCommit = 0;
        var killedDuringCommit = 0;
        for (var run = 0; run < 12; run++)
        {
            // When an import is killed after a random delay — within that time for the first runs, within the first
            // 40 ms of its commit for the others (a commit takes well under 100 ms on an idle machine) — and the next command runs
            using var site = HostileBundleTests.PopulatedSite();
            var duringCommit = run >= 6;
            var delay = TimeSpan.FromMilliseconds(random.NextDouble() * (duringCommit ? 40 : _duration.TotalMilliseconds));
            var import = RunCli(site, ["imgimport", _bundle.Path], killAfter: delay, fromFirstPath: duringCommit);
            var killed = import.ExitCode == 137;
            var next = RunCli(site, ["tabdump", "osimage"]);
            Assert.Equal(0, next.ExitCode);

            // Then the site is one of the two acceptable states, and fully imported when the import was not killed
            var state = SiteSnapshot.Take(site);
            Assert.True(killed || import.ExitCode == 0, $"run {run}: the import exited {import.ExitCode}: {import.Error}");
            Assert.True(state == _bundle.After || (killed && state == _bundle.Before), $"run {run}, {(killed ? "killed" : "not killed")} after {delay.TotalMilliseconds:F0} ms: the site is neither as before nor fully imported");
            killedBeforeCommit += killed && !duringCommit ? 1 : 0;
            killedDuringCommit += killed && duringCommit ? 1 : 0;
            _log.WriteLine($"{(killed ? "killed" : "finished before the kill")}, {delay.TotalMilliseconds:F0} ms after {(duringCommit ? "the commit began" : "the start")} (an import takes {_duration.TotalMilliseconds:F0} ms): {(state == _bundle.Before ? "before" : "after")}. {next.Error.Trim()}");
        }

        // And the kills really happened, in both phases
        Assert.True(killedBeforeCommit > 0, "no import was killed before its commit");
        Assert.True(killedDuringCommit > 0, "no import was killed during its commit");
    }

    [Fact]
    public async Task Of_two_imports_of_the_same_image_at_once_one_wins_and_the_other_gets_a_lock_error()
    {
        // Given an import (process A) that holds the image's lock and waits for the site's commit lock
        using var site = HostileBundleTests.PopulatedSite();
        CliResult first;
        Task<CliResult> running;
        using (SiteLock.ForCommit(site.Site, TimeSpan.Zero))
        {
            running = Task.Run(() => RunCli(site, ["imgimport", _bundle.Path]));
            var pidFile = Path.Combine(site.Map("/var/lock/xcat"), $"imgimport.image.{TestBundle.ImageName}.lock.pid");
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (!File.Exists(pidFile) && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            // When a second import of the same image (process B) runs
            var second = RunCli(site, ["imgimport", _bundle.Path]);

            // Then B fails at once, naming A, and A goes on once it may commit
            Assert.Equal(1, second.ExitCode);
            Assert.Contains($"Error: Another imgimport of the image '{TestBundle.ImageName}' is running (process {File.ReadAllText(pidFile).Trim()}); wait for it to finish and try again.", second.Error, StringComparison.Ordinal);
        }

        first = await running;
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(_bundle.After, SiteSnapshot.Take(site));
    }

    private TimeSpan _duration;

    /// <summary>The CLI in its own process: <c>dotnet xcatimg.dll --site SITE ARGS</c>.</summary>
    private static ProcessStartInfo Cli(TempSite site, string[] args) =>
        Start(["xcatimg.dll", "--site", site.Directory, .. args]);

    /// <summary>An import of the bundle in its own process that kills itself when its commit reaches <paramref name="step"/>.</summary>
    private ProcessStartInfo CrashHost(ImportCommitStep step, TempSite site) =>
        Start([$"{typeof(ImportCrashHost).Assembly.GetName().Name}.dll", step.ToString(), site.Directory, _bundle.Path]);

    private static ProcessStartInfo Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, args[0]));
        foreach (var arg in args[1..])
        {
            start.ArgumentList.Add(arg);
        }

        return start;
    }

    private static CliResult RunCli(TempSite site, string[] args, TimeSpan? killAfter = null, bool fromFirstPath = false) =>
        Run(Cli(site, args), killAfter, fromFirstPath);

    /// <summary>
    /// Runs a process. With <paramref name="killAfter"/>, sends SIGKILL after that delay — counted from the start, or,
    /// with <paramref name="fromFirstPath"/>, from the first destination path the import prints, which it prints
    /// just before its commit begins.
    /// </summary>
    private static CliResult Run(ProcessStartInfo start, TimeSpan? killAfter = null, bool fromFirstPath = false)
    {
        using var process = new Process { StartInfo = start };
        var output = new System.Text.StringBuilder();
        var error = new System.Text.StringBuilder();
        using var planned = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Append(e.Data).Append('\n');
            }

            if (e.Data.StartsWith("/install/", StringComparison.Ordinal))
            {
                planned.Set();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (error)
            {
                error.Append(e.Data).Append(e.Data is null ? string.Empty : "\n");
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (killAfter is { } delay)
        {
            if (fromFirstPath)
            {
                planned.Wait(TimeSpan.FromMinutes(1));
            }

            if (!process.WaitForExit(delay))
            {
                process.Kill();
            }
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, output.ToString(), error.ToString());
    }
}
