using XcatImageBuild.Cli;
using XcatImageBuild.Genimage.PackageManagers;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Progress;

public sealed class ProgressLineTests
{
    [Fact]
    public void Outside_a_terminal_a_long_step_prints_its_start_a_percentage_at_most_every_ten_seconds_and_its_end()
    {
        // Given the plain-line printer a CI log gets, and a step of 800 MiB
        var clock = new ManualClock();
        using var output = new StringWriter();
        var progress = new ConsoleProgress(TextWriter.Null, output, live: false, clock);
        var step = new ProgressEvent("packimage", "archive", 0, 800L << 20, ProgressUnit.Bytes) { Image = "img" };

        // When it reports every second for 25 seconds, and then ends
        progress.Report(step);
        for (var second = 1; second <= 25; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(step with { Done = (long)second << 25 });
        }

        progress.Report(step with { Done = 800L << 20, Finished = true });

        // Then the log (stderr: stdout keeps xCAT's own lines) holds the start, one percentage line per ten seconds, and the end with its time
        Assert.Equal(
            [
                "packimage img: archive",
                "packimage img: archive 40% (320.0 of 800.0 MiB)",
                "packimage img: archive 80% (640.0 of 800.0 MiB)",
                "packimage img: archive done (800.0 of 800.0 MiB) in 25.0 s",
            ],
            output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_quick_step_of_a_single_verb_prints_nothing_so_its_output_stays_xcats()
    {
        var clock = new ManualClock();
        using var error = new StringWriter();
        var progress = new ConsoleProgress(TextWriter.Null, error, false, clock);
        var step = new ProgressEvent("imgexport", "compress", 0, 100, ProgressUnit.Bytes);

        progress.Report(step);
        clock.Advance(TimeSpan.FromSeconds(2));
        progress.Report(step with { Done = 100, Finished = true });

        Assert.Equal(string.Empty, error.ToString());
    }

    [Fact]
    public void A_long_step_of_a_single_verb_prints_its_percentage_every_ten_seconds_and_its_end()
    {
        var clock = new ManualClock();
        using var error = new StringWriter();
        var progress = new ConsoleProgress(TextWriter.Null, error, false, clock);
        var step = new ProgressEvent("packimage", "archive", 0, 1000, ProgressUnit.Items);

        progress.Report(step);
        for (var second = 1; second <= 12; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            progress.Report(step with { Done = second * 50 });
        }

        progress.Report(step with { Done = 1000, Finished = true });

        Assert.Equal("packimage: archive 50% (500 of 1000)\npackimage: archive done (1000 of 1000) in 12.0 s\n", error.ToString());
    }

    [Fact]
    public void A_short_step_is_one_line_and_its_end_is_printed_only_when_verbose()
    {
        var clock = new ManualClock();
        using var quiet = new StringWriter();
        using var verbose = new StringWriter();
        var sinks = new[] { new ConsoleProgress(TextWriter.Null, quiet, false, clock), new ConsoleProgress(TextWriter.Null, verbose, false, clock) { Verbose = true } };
        foreach (var sink in sinks)
        {
            sink.Report(new ProgressEvent("genimage", "kernel", 0, 0, ProgressUnit.Items) { Image = "img" });
            sink.Report(new ProgressEvent("genimage", "kernel", 0, 0, ProgressUnit.Items) { Image = "img", Finished = true });
        }

        Assert.Equal("genimage img: kernel\n", quiet.ToString());
        Assert.Equal("genimage img: kernel\ngenimage img: kernel done in 0.0 s\n", verbose.ToString());
    }

    [Fact]
    public void A_step_reporting_a_million_increments_reaches_the_sink_a_bounded_number_of_times()
    {
        var sink = new CollectingProgress();
        var meter = new ProgressMeter(sink, "packimage", "archive", 1_000_000, ProgressUnit.Bytes);
        for (var i = 0; i < 1_000_000; i++)
        {
            meter.Advance(1);
        }

        meter.Complete();

        // One event per percent, plus the start and the end (and one a second on a slow machine).
        Assert.InRange(sink.Events.Count, 100, 300);
        Assert.Equal(1_000_000, sink.Events[^1].Done);
        Assert.True(sink.Events[^1].Finished);
        Assert.Equal(1_000_000, sink.Events[^2].Done);
        Assert.All(sink.Events.SkipLast(1), e => Assert.False(e.Finished));
    }

    [Theory]
    [InlineData("0 upgraded, 120 newly installed, 0 to remove and 0 not upgraded.", 120L, null, false)]
    [InlineData("3 upgraded, 2 newly installed, 1 to remove and 7 not upgraded.", 6L, null, false)]
    [InlineData("Setting up libc6:amd64 (2.36-9+deb12u7) ...", null, null, true)]
    [InlineData("Removing vim-tiny (2:9.0.1378-2) ...", null, null, true)]
    [InlineData("  Installing       : bash-5.1.8-9.el9.x86_64                        12/300 ", 300L, 12L, false)]
    [InlineData("  Upgrading        : glibc-2.34-100.el9.x86_64                       7/9", 9L, 7L, false)]
    [InlineData("  Verifying        : bash-5.1.8-9.el9.x86_64                        12/300", null, null, false)]
    [InlineData("(  12/300) Installing: bash-5.2.15-150500.1.1.x86_64 .....[done]", 300L, 12L, false)]
    [InlineData("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]", null, null, false)]
    public void Package_manager_lines_give_the_count_they_announce_or_reach(string line, long? total, long? number, bool oneDone)
    {
        Assert.Equal((total, number, oneDone), PackageProgress.Parse(line));
    }

    [Fact]
    public void Apt_output_becomes_packages_done_of_the_packages_announced()
    {
        // Given apt-get printing its summary and three packages set up
        var runner = new FakeProcessRunner().Given("apt-get", 0, standardOutput:
            "Reading package lists...\n0 upgraded, 3 newly installed, 0 to remove and 0 not upgraded.\n" +
            "Unpacking a (1) ...\nSetting up a (1) ...\nSetting up b (1) ...\nSetting up c (1) ...\n");
        var sink = new CollectingProgress();

        // When it runs through the package progress
        PackageProgress.Run(runner, new ToolCommand("apt-get", ["install", "a", "b", "c"]), sink);

        // Then the last event says 3 of 3 and the step ended
        var last = sink.Events[^1];
        Assert.Equal(("genimage", PackageProgress.StepName, 3L, 3L, true), (last.Stage, last.Step, last.Done, last.Total, last.Finished));
        Assert.Contains(sink.Events, e => e is { Total: 3, Done: 0 });
        // and each package set up was counted as it was printed, before the step ended
        Assert.Equal([1L, 2L, 3L], sink.Events.Where(e => !e.Finished && e.Done > 0).Select(e => e.Done));
    }

    [Fact]
    public void The_process_runner_hands_on_each_line_as_the_tool_prints_it_and_still_captures_it()
    {
        var lines = new List<string>();
        var result = new ProcessRunner().Run(new ToolCommand("sh", ["-c", "echo one; echo two >&2; echo three"]) { OutputLine = lines.Add });

        Assert.Equal(["one", "three", "two"], lines.Order(StringComparer.Ordinal));
        Assert.Equal("one\nthree\n", result.StandardOutput);
        Assert.Equal("two\n", result.StandardError);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
