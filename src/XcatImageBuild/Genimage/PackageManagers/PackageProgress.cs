using System.Globalization;
using System.Text.RegularExpressions;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// Turns what a package manager prints while it works into genimage's <c>packages</c> progress: the packages set up
/// (or removed) so far, of the number it announced. apt announces "N upgraded, M newly installed, K to remove" and
/// prints "Setting up"/"Removing" per package; dnf and zypper number each package ("Installing : bash 12/300",
/// "( 12/300) Installing: bash").
/// </summary>
public static partial class PackageProgress
{
    /// <summary>The step name the counts are reported under.</summary>
    public const string StepName = "packages";

    /// <summary>
    /// Runs <paramref name="command"/> through <paramref name="runner"/>, reporting its package counts to
    /// <paramref name="progress"/> as it prints them; the step ends when the tool does, whether it succeeded or not.
    /// </summary>
    public static ToolResult Run(IProcessRunner runner, ToolCommand command, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(progress);
        var meter = new ProgressMeter(progress, "genimage", StepName, 0, ProgressUnit.Items);
        var counter = new Counter(meter);
        try
        {
            return runner.Run(command with { OutputLine = counter.Read });
        }
        finally
        {
            meter.Complete();
        }
    }

    /// <summary>What one printed line says: the total announced, the package number reached, or a package done.</summary>
    public static (long? Total, long? Number, bool OneDone) Parse(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (AptSummary().Match(line) is { Success: true } summary)
        {
            return (Number(summary, "up") + Number(summary, "new") + Number(summary, "remove"), null, false);
        }

        if (RpmNumbered().Match(line) is { Success: true } numbered)
        {
            return (Number(numbered, "total"), Number(numbered, "n"), false);
        }

        if (ZypperNumbered().Match(line) is { Success: true } zypper)
        {
            return (Number(zypper, "total"), Number(zypper, "n"), false);
        }

        return (null, null, line.StartsWith("Setting up ", StringComparison.Ordinal) || line.StartsWith("Removing ", StringComparison.Ordinal));
    }

    private static long Number(Match match, string group) => long.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<up>\d+) upgraded, (?<new>\d+) newly installed, (?<remove>\d+) to remove")]
    private static partial Regex AptSummary();

    // dnf: "  Installing       : bash-5.1.8-9.el9.x86_64        12/300" (Upgrading, Reinstalling, Downgrading, Erasing).
    [GeneratedRegex(@"^\s+(Installing|Upgrading|Reinstalling|Downgrading|Erasing|Removing)\s*:\s.*\s(?<n>\d+)/(?<total>\d+)\s*$")]
    private static partial Regex RpmNumbered();

    // zypper: "(  12/300) Installing: bash-5.2.15-150500.1.1.x86_64 ...".
    [GeneratedRegex(@"^\(\s*(?<n>\d+)/(?<total>\d+)\)\s+(Installing|Removing)")]
    private static partial Regex ZypperNumbered();

    private sealed class Counter(ProgressMeter meter)
    {
        private long _total;

        public void Read(string line)
        {
            var (total, number, oneDone) = Parse(line);
            if (total is { } announced && announced != _total)
            {
                _total = announced;
                meter.SetTotal(announced);
            }

            if (number is { } reached)
            {
                meter.Set(reached);
            }
            else if (oneDone)
            {
                meter.Advance(1);
            }
        }
    }
}
