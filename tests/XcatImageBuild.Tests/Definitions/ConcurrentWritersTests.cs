using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

public sealed class ConcurrentWritersTests
{
    [Fact]
    public async Task Two_writers_at_once_both_succeed_and_every_change_lands()
    {
        // Given one site and two writers, each defining and then changing its own 25 images
        using var site = new TempSite();
        const int perWriter = 25;

        CliResult[] Writer(string prefix) =>
        [
            .. Enumerable.Range(0, perWriter).SelectMany(i => new[]
            {
                site.Run("mkdef", "-t", "osimage", "-o", $"{prefix}{i}", "imagetype=linux", "profile=compute"),
                site.Run("chdef", "-t", "osimage", $"{prefix}{i}", $"description={prefix} {i}", "pkglist=/p.pkglist"),
                site.Run("chdef", "-t", "site", $"{prefix}last={i}"),
            }),
        ];

        // When both run at the same time
        var first = Task.Run(() => Writer("a"));
        var second = Task.Run(() => Writer("b"));
        var results = (await Task.WhenAll(first, second)).SelectMany(r => r).ToList();

        // Then no command failed and every image and site key holds its writer's last value
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        var images = site.Site.Database.ReadAll(XcatSchema.OsImage);
        Assert.Equal(2 * perWriter, images.Count);
        Assert.All(images, row => Assert.Equal($"{row["imagename"]![0]} {row["imagename"]![1..]}", row["description"]));
        Assert.Equal(2 * perWriter, site.Site.Database.ReadAll(XcatSchema.LinuxImage).Count);
        Assert.Equal("24", site.Site.Setting("alast"));
        Assert.Equal("24", site.Site.Setting("blast"));
    }
}
