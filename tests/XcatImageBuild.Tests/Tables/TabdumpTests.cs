using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Tables;

public sealed class TabdumpTests
{
    [Fact]
    public void A_new_site_has_the_xcatdefaults_postscripts_row()
    {
        using var site = new TempSite();

        var result = site.Run("tabdump", "postscripts");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "#node,postscripts,postbootscripts,comments,disable\n\"xcatdefaults\",\"syslog,remoteshell,syncfiles\",\"otherpkgs\",,\n",
            result.Output);
    }

    [Fact]
    public void Tabdump_of_an_unknown_table_names_it_and_fails()
    {
        using var site = new TempSite();

        var result = site.Run("tabdump", "nosuchtable");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Table 'nosuchtable' does not exist.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Tabdump_quotes_values_doubles_inner_quotes_and_leaves_nulls_empty()
    {
        using var site = new TempSite();
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.LiteFile, ["ALL", "/etc/a,b"], new Dictionary<string, string?> { ["options"] = "say \"hi\"", ["comments"] = string.Empty });
            return 0;
        });

        var result = site.Run("tabdump", "litefile");

        Assert.Equal("#image,file,options,comments,disable\n\"ALL\",\"/etc/a,b\",\"say \"\"hi\"\"\",,\n", result.Output);
    }
}
