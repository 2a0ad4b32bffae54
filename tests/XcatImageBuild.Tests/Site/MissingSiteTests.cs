using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Site;

/// <summary>A typo in --site is an error for the verbs that read; only the verbs that define things make a site.</summary>
public sealed class MissingSiteTests
{
    public static TheoryData<string[]> ReadingVerbs => new()
    {
        { ["lsdef"] },
        { ["lsdef", "-t", "site"] },
        { ["tabdump", "site"] },
        { ["tabdump"] },
        { ["chdef", "-t", "site", "master=10.0.0.1"] },
        { ["rmdef", "-t", "node", "cn1"] },
        { ["chtab", "key=master", "site.value=10.0.0.1"] },
        { ["imgexport", "img"] },
        { ["packimage", "img"] },
        { ["genimage", "img"] },
        { ["nodeset", "cn1", "osimage=img"] },
        { ["plan", "recipes"] },
    };

    [Theory]
    [MemberData(nameof(ReadingVerbs))]
    public void A_verb_that_only_reads_refuses_a_missing_site_naming_it_and_creates_nothing(string[] command)
    {
        // Given a directory that holds no site (an empty one that exists, like a mistyped parent)
        using var scratch = new TempSite();
        var missing = Path.Combine(scratch.Scratch, "typo");
        Directory.CreateDirectory(missing);

        var result = Testing.Cli.Run(["--site", missing, .. command]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: The site {missing} does not exist (there is no {missing}/etc/xcat).\n", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(missing));
    }

    [Fact]
    public void Mkdef_creates_a_missing_site_and_says_so_once()
    {
        using var scratch = new TempSite();
        var fresh = Path.Combine(scratch.Scratch, "new-site");

        var first = Testing.Cli.Run("--site", fresh, "mkdef", "-t", "osimage", "img", "imagetype=linux");
        var second = Testing.Cli.Run("--site", fresh, "mkdef", "-t", "osimage", "img2", "imagetype=linux");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"Created the site {fresh}.\n1 object definitions have been created or modified.\n", first.Output);
        Assert.Equal("1 object definitions have been created or modified.\n", second.Output);
        Assert.Equal("img  (osimage)\nimg2  (osimage)\n", Testing.Cli.Run("--site", fresh, "lsdef", "-t", "osimage").Output);
        Assert.Contains("\"installdir\",\"/install\"", Testing.Cli.Run("--site", fresh, "tabdump", "site").Output, StringComparison.Ordinal);
    }
}
