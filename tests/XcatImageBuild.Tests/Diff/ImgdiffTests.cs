using System.Text.Json;
using XcatImageBuild.Cli;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Diff;

/// <summary>imgdiff on real bundles made by packimage and imgexport.</summary>
public sealed class ImgdiffTests : IDisposable
{
    private const string SbomA = """{"spdxVersion":"SPDX-2.3","packages":[{"name":"bash","versionInfo":"5.2.15-2+b7","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/bash@5.2.15-2+b7?arch=amd64"}]},{"name":"vim","versionInfo":"9.0"}]}""";
    private const string SbomB = """{"spdxVersion":"SPDX-2.3","packages":[{"name":"bash","versionInfo":"5.2.15-2+b8","externalRefs":[{"referenceType":"purl","referenceLocator":"pkg:deb/debian/bash@5.2.15-2+b8?arch=amd64"}]},{"name":"curl","versionInfo":"7.88"}]}""";

    private readonly TempSite _siteA = new();
    private readonly TempSite _siteB = new();

    [Fact]
    public void A_bundle_compared_with_itself_is_equal_and_exits_0()
    {
        var bundle = SampleBundle.Export(_siteA, _siteA.Scratch);

        var diff = Run("imgdiff", bundle, bundle);

        Assert.Equal(0, diff.ExitCode);
        Assert.Contains("The images are equal.", diff.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_image_in_the_site_equals_the_bundle_exported_from_it()
    {
        var bundle = SampleBundle.Export(_siteA, _siteA.Scratch);

        var diff = _siteA.Run("imgdiff", NetbootImage.Name, bundle);

        Assert.True(diff.ExitCode == 0, diff.Output + diff.Error);
    }

    [Fact]
    public void Files_lists_rows_and_the_kernel_that_differ_are_each_named_and_exit_1()
    {
        var a = SampleBundle.Export(_siteA, _siteA.Scratch);
        var b = SampleBundle.Export(_siteB, _siteB.Scratch, image =>
        {
            image.WriteImageFile("etc/hostname", "other-node\n");
            image.WriteImageFile("etc/motd", "welcome\n");
            File.Delete(Path.Combine(image.RootImg, "usr/share/zoneinfo/UTC"));
            File.SetUnixFileMode(Path.Combine(image.RootImg, "usr/bin/tool"), (UnixFileMode)0x1C0);
            File.Delete(Path.Combine(image.RootImg, "usr/bin/alias"));
            File.CreateSymbolicLink(Path.Combine(image.RootImg, "usr/bin/alias"), "/usr/bin/tool");
            File.WriteAllText(image.Output("kernel"), "kernel 6.1.0-29\n");
            image.Site.WriteFile("/install/custom/netboot/debian/compute.pkglist", "bash\nchrony\n");
            image.Site.SetRows(s => s.Set(XcatImageBuild.Tables.XcatSchema.OsImage, [NetbootImage.Name], new Dictionary<string, string?> { ["description"] = "second" }));
        });

        var diff = Run("imgdiff", a, b);

        Assert.Equal(1, diff.ExitCode);
        var lines = diff.Output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("~ /etc/hostname: size 5 -> 11; content sha256 ", diff.Output, StringComparison.Ordinal);
        Assert.Contains("+ /etc/motd (file, 8 bytes, 0644, 0:0)", lines);
        Assert.Contains("- /usr/share/zoneinfo/UTC (file, 6 bytes, 0644, 0:0)", lines);
        Assert.Contains("~ /usr/bin/tool: mode 0755 -> 0700", lines);
        Assert.Contains("~ /usr/bin/alias: link target tool -> /usr/bin/tool", lines);
        Assert.Contains(lines, l => l.StartsWith("~ kernel: sha256 ", StringComparison.Ordinal));
        Assert.Contains("~ pkglist compute.pkglist", lines);
        Assert.Contains("- openssh-server", lines);
        Assert.Contains("+ chrony", lines);
        Assert.Contains("+ osimage.description=second", lines);
        Assert.DoesNotContain(lines, l => l.Contains("/etc/hostname (", StringComparison.Ordinal));
    }

    [Fact]
    public void Packages_added_removed_and_changed_come_from_the_sboms()
    {
        var a = SampleBundle.Export(_siteA, _siteA.Scratch);
        var b = SampleBundle.Export(_siteB, _siteB.Scratch);
        SampleBundle.AddMembers(a, new Dictionary<string, string> { ["image.spdx.json"] = SbomA });
        SampleBundle.AddMembers(b, new Dictionary<string, string> { ["image.spdx.json"] = SbomB });

        var diff = Run("imgdiff", a, b);

        Assert.Equal(1, diff.ExitCode);
        var lines = diff.Output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains("~ bash:amd64 5.2.15-2+b7 -> 5.2.15-2+b8", lines);
        Assert.Contains("+ curl 7.88", lines);
        Assert.Contains("- vim 9.0", lines);
    }

    [Fact]
    public void Json_output_is_one_object_with_every_section()
    {
        var a = SampleBundle.Export(_siteA, _siteA.Scratch);
        var b = SampleBundle.Export(_siteB, _siteB.Scratch, image => image.WriteImageFile("etc/motd", "welcome\n"), "-m", "tar");

        var diff = Run("imgdiff", "--json", a, b);

        Assert.Equal(1, diff.ExitCode);
        var json = JsonDocument.Parse(diff.Output).RootElement;
        Assert.False(json.GetProperty("equal").GetBoolean());
        var files = json.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("path").GetString(), f.GetProperty("change").GetString())).ToList();
        // Every pack writes its own /etc/shadow hash and /opt/xcat/xcatinfo, so those differ between any two packs.
        Assert.Equal([("/etc/motd", "added")], files.Where(f => f.Item1 is not ("/etc/shadow" or "/opt/xcat/xcatinfo")));
        Assert.Empty(json.GetProperty("packages").EnumerateArray());
        Assert.Empty(json.GetProperty("boot").EnumerateArray());
    }

    [Fact]
    public void A_missing_or_corrupt_side_is_an_error_that_exits_2()
    {
        var corrupt = Path.Combine(_siteA.Scratch, "corrupt.tgz");
        File.WriteAllBytes(corrupt, [0x1f, 0x8b, 8, 0, 1, 2, 3]);

        var missing = _siteA.Run("imgdiff", "no-such-image", "no-such-image");
        var broken = Run("imgdiff", corrupt, corrupt);

        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("Error: Cannot find image 'no-such-image' from the osimage table.", missing.Error, StringComparison.Ordinal);
        Assert.Equal(2, broken.ExitCode);
        Assert.StartsWith($"Error: Cannot read the bundle {corrupt}: ", broken.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _siteA.Dispose();
        _siteB.Dispose();
    }

    private static CliResult Run(params string[] args) => Testing.Cli.Run(CliEnvironment.FromProcess(), args);
}
