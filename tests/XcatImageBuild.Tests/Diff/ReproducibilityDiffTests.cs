using XcatImageBuild.Diff;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Diff;

/// <summary>
/// What a reproducibility check says about two bundles of one image: each file whose bytes differ, with its likely
/// cause. The bundles are real (packimage and imgexport under SOURCE_DATE_EPOCH), made from trees that differ as two
/// builds of a careless recipe would.
/// </summary>
public sealed class ReproducibilityDiffTests : IDisposable
{
    private static readonly DateTime Old = new(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly TempSite _siteA = new();
    private readonly TempSite _siteB = new();

    [Fact]
    public void Two_bundles_of_the_same_tree_have_no_differences()
    {
        var a = SampleBundle.ExportReproducibly(_siteA, _siteA.Scratch);
        var b = SampleBundle.ExportReproducibly(_siteB, _siteB.Scratch);

        var differences = ReproducibilityDiff.Compare(a, b, [_siteA.Directory, _siteB.Directory], new ProcessRunner());

        Assert.Empty(differences);
    }

    [Fact]
    public void Without_SOURCE_DATE_EPOCH_the_root_password_salt_and_the_image_uuid_are_random_data()
    {
        var a = SampleBundle.Export(_siteA, _siteA.Scratch);
        var b = SampleBundle.Export(_siteB, _siteB.Scratch);

        var lines = ReproducibilityDiff.Compare(a, b, [_siteB.Directory, _siteA.Directory], new ProcessRunner()).Select(d => d.ToString()).ToList();

        Assert.Contains(lines, l => l.StartsWith("/etc/shadow: content sha256 ", StringComparison.Ordinal) && l.EndsWith("(likely random data or unknown)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("/opt/xcat/xcatinfo: content sha256 ", StringComparison.Ordinal) && l.EndsWith("(likely random data or unknown)", StringComparison.Ordinal));
        // The trees were written at different times, and without the variable nothing clamps them.
        Assert.All(
            lines.Where(l => !l.StartsWith("/etc/shadow:", StringComparison.Ordinal) && !l.StartsWith("/opt/xcat/xcatinfo:", StringComparison.Ordinal)),
            l => Assert.True(l.EndsWith("(likely timestamps)", StringComparison.Ordinal) || l.EndsWith("(likely the checksums of the files above)", StringComparison.Ordinal), l));
    }

    [Fact]
    public void Each_differing_file_is_named_with_its_likely_cause()
    {
        // Given two builds: a time, a date inside a file, each build's own directory, a random key, a mode and a file
        // only the second has
        var a = SampleBundle.ExportReproducibly(_siteA, _siteA.Scratch, image => Build(image, _siteA, Old, "2026-01-01 10:00:00", "4f1c9a77e0b2"));
        var b = SampleBundle.ExportReproducibly(_siteB, _siteB.Scratch, image =>
        {
            Build(image, _siteB, Old.AddDays(1), "2026-01-02 11:30:07", "d83b05aa61fe");
            File.SetUnixFileMode(Path.Combine(image.RootImg, "usr/bin/tool"), (UnixFileMode)0x1C0);
            image.WriteImageFile("var/lib/generated-8c2e", "x\n");
        });

        // When they are compared as a reproducibility check compares them
        var lines = ReproducibilityDiff.Compare(a, b, [_siteB.Directory, _siteA.Directory], new ProcessRunner()).Select(d => d.ToString()).ToList();

        // Then each is named, with what differs and why
        Assert.Contains("/etc/os-release: mtime 2020-01-01T00:00:00Z -> 2020-01-02T00:00:00Z (likely timestamps)", lines);
        Assert.Contains(lines, l => l.StartsWith("/etc/build-date: content sha256 ", StringComparison.Ordinal) && l.EndsWith("(likely timestamps)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("/etc/build-root: ", StringComparison.Ordinal) && l.EndsWith("(likely build path)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("/etc/ssh/ssh_host_key: content sha256 ", StringComparison.Ordinal) && l.EndsWith("(likely random data or unknown)", StringComparison.Ordinal));
        Assert.Contains("/usr/bin/tool: mode 0755 -> 0700 (likely metadata)", lines);
        Assert.Contains("/var/lib/generated-8c2e: only in the second build (likely only one build has it)", lines);
        Assert.Contains(lines, l => l.StartsWith($"bundle {NetbootImage.Name}/SHA256SUMS: ", StringComparison.Ordinal) && l.EndsWith("(likely the checksums of the files above)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("/etc/hostname", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bundle_member_outside_the_root_image_is_named_too()
    {
        var a = SampleBundle.ExportReproducibly(_siteA, _siteA.Scratch);
        var b = SampleBundle.ExportReproducibly(_siteB, _siteB.Scratch, image => File.WriteAllText(image.Output("kernel"), $"kernel built in {_siteB.Directory}\n"));

        var lines = ReproducibilityDiff.Compare(a, b, [_siteB.Directory, _siteA.Directory], new ProcessRunner()).Select(d => d.ToString()).ToList();

        Assert.Contains(lines, l => l.StartsWith($"bundle {NetbootImage.Name}/kernel: ", StringComparison.Ordinal) && l.EndsWith("(likely build path)", StringComparison.Ordinal));
    }

    private static void Build(NetbootImage image, TempSite site, DateTime time, string date, string key)
    {
        image.WriteImageFile("etc/os-release", "ID=debian\n");
        File.SetLastWriteTimeUtc(Path.Combine(image.RootImg, "etc/os-release"), time);
        image.WriteImageFile("etc/build-date", $"built {date}\n");
        image.WriteImageFile("etc/build-root", $"root={site.Directory}/install/netboot/rootimg\n");
        image.WriteImageFile("etc/ssh/ssh_host_key", key + "\n");
    }

    public void Dispose()
    {
        _siteA.Dispose();
        _siteB.Dispose();
    }
}
