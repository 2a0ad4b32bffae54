using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Tables;

public sealed class TableVerbsTests
{
    [Fact]
    public void Tabdump_d_prints_xcats_column_descriptions_a_blank_line_apart()
    {
        using var site = new TempSite();

        var postscripts = site.Run("tabdump", "-d", "postscripts");
        var tables = site.Run("tabdump", "-d");

        // Names shorter than 7 characters get two tabs, as tabutils.pm prints them.
        Assert.Equal(0, postscripts.ExitCode);
        Assert.StartsWith("node:\t\tThe node name or group name.\n\npostscripts:\tComma separated list of scripts", postscripts.Output, StringComparison.Ordinal);
        Assert.EndsWith("\n\ndisable:\tSet to 'yes' or '1' to comment out this row.\n", postscripts.Output, StringComparison.Ordinal);
        Assert.Contains("\n\nosimage:\tBasic information about an operating system image that can be used to deploy cluster nodes.\n\n", tables.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("groups==aix", "testnode02")]
    [InlineData("groups!=linux", "testnode01,testnode02")]
    [InlineData("groups=~all%", "testnode01")]
    [InlineData("groups=~%AIX", "testnode01,testnode02")]
    [InlineData("groups!~all", "testnode01,testnode02,testnode03")]
    [InlineData("statustime>2011-04-18", "testnode01")]
    [InlineData("statustime>=2011-04-18", "testnode01,testnode02")]
    [InlineData("statustime<2011-04-19", "testnode02")]
    public void Tabdump_w_keeps_the_rows_xcats_sql_would_select(string condition, string nodes)
    {
        // Given the rows of xCAT's own tabdump -w test cases, and a disabled row that no filter shows
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "-o", "testnode01", "groups=all,aix", "statustime=2011-04-19");
        site.Run("mkdef", "-t", "node", "-o", "testnode02", "groups=aix", "statustime=2011-04-18");
        site.Run("mkdef", "-t", "node", "-o", "testnode03", "groups=linux");
        site.Run("chtab", "node=testnode04", "nodelist.groups=aix", "nodelist.disable=1");

        var result = site.Run("tabdump", "-w", condition, "nodelist");

        Assert.Equal(0, result.ExitCode);
        var listed = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0].Trim('"'));
        Assert.Equal(nodes, string.Join(',', listed));
    }

    [Theory]
    [InlineData("groups", "Error: Unsupported operator:groups on -w flag input")]
    [InlineData("colour==blue", "Error: No column \"colour\" in table \"nodelist\"")]
    public void A_tabdump_w_that_does_not_parse_is_named(string condition, string message)
    {
        using var site = new TempSite();

        var result = site.Run("tabdump", "-w", condition, "nodelist");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Chtab_adds_changes_appends_to_and_deletes_rows_as_xcats_test_cases_do()
    {
        using var site = new TempSite();

        var add = site.Run("chtab", "key=rsh_test", "site.value=/opt/xcat/bin/rcp", "site.comments=the rcp command");
        var change = site.Run("chtab", "key=rsh_test", "site.value=/opt/xcat/bin/scp");
        var append = site.Run("chtab", "key=rsh_test", "site.value+=/opt/xcat/bin/rcp,/opt/xcat/bin/scp");
        var dumped = site.Run("tabdump", "site").Output;
        var delete = site.Run("tabch", "-d", "key=rsh_test", "site");

        Assert.Equal([0, 0, 0, 0], new[] { add.ExitCode, change.ExitCode, append.ExitCode, delete.ExitCode });
        Assert.Contains("\n\"rsh_test\",\"/opt/xcat/bin/scp,/opt/xcat/bin/rcp\",\"the rcp command\",\n", dumped, StringComparison.Ordinal);
        Assert.DoesNotContain("rsh_test", site.Run("tabdump", "site").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Chtab_changes_every_row_its_keys_match_in_one_transaction()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1,cn2", "groups=compute");

        var result = site.Run("chtab", "groups=compute", "nodelist.status=booting", "nodetype.os=rhels8");

        // nodetype has no row with groups=compute, and a new row needs its node: the whole command is refused.
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: No column \"groups\" in table \"nodetype\"", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, site.Run("chtab", "groups=compute", "nodelist.status=booting").ExitCode);
        Assert.Equal("cn1  (node)\ncn2  (node)\n", site.Run("lsdef", "-s", "-w", "status==booting").Output);
    }

    [Theory]
    [InlineData(new[] { "chtab", "error=error", "site.comments=error" }, "Error: No column \"error\" in table \"site\"")]
    [InlineData(new[] { "chtab", "key=a", "site.colour=error" }, "Error: site.colour not a valid table.column description")]
    [InlineData(new[] { "chtab", "key=a", "nosuch.comments=x" }, "Error: Table 'nosuch' does not exist.")]
    [InlineData(new[] { "tabch", "-d", "key=abc123", "nonexist_table1", "nonexist_table2" }, "Error: Table 'nonexist_table1' does not exist. Known tables:")]
    [InlineData(new[] { "chtab", "node=cn1", "nodelist.node=cn2" }, "Error: nodelist.node is a key column of nodelist")]
    [InlineData(new[] { "chtab", "node=cn9", "noderes.netboot=xnba", "mac.interface=eth0", "hosts.colour=x" }, "Error: hosts.colour not a valid table.column description")]
    [InlineData(new[] { "chtab", "site.value=x" }, "Error: Incorrect argument \"site.value=x\"")]
    [InlineData(new[] { "chtab", "key" }, "Error: Incorrect argument \"key\".")]
    [InlineData(new[] { "chtab" }, "Usage: chtab")]
    public void A_bad_chtab_is_named_and_changes_nothing(string[] command, string message)
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all");
        var before = SiteSnapshot.Take(site);

        var result = site.Run(command);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }
}
