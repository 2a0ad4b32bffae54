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

    [Fact]
    public void Tabdump_of_nodes_with_empty_null_quoted_and_comma_values_matches_the_golden_file()
    {
        // Given nodelist rows with an empty string, NULLs, commas, quotes, a newline and a disabled row
        using var site = new TempSite();
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.NodeList, ["cn1"], new Dictionary<string, string?> { ["groups"] = "compute,all", ["status"] = string.Empty });
            s.Set(XcatSchema.NodeList, ["cn2"], new Dictionary<string, string?> { ["groups"] = "all", ["comments"] = "rack \"A\", slot 3" });
            s.Set(XcatSchema.NodeList, ["cn3"], new Dictionary<string, string?> { ["comments"] = "two\nlines", ["disable"] = "1" });
            return 0;
        });

        // When the table is dumped
        var result = site.Run("tabdump", "nodelist");

        // Then every row is printed in insertion order, disabled ones too, exactly as xCAT quotes them
        Assert.Equal(0, result.ExitCode);
        Golden.Check("Tables/tabdump-nodelist.txt", result.Output);
    }
}
