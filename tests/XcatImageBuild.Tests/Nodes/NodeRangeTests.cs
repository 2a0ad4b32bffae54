using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Nodes;

public sealed class NodeRangeTests
{
    [Fact]
    public void A_bracket_range_keeps_the_zero_padding_of_its_first_number()
    {
        var names = NodeRange.Parse("n[08-11]");

        Assert.Equal(["n08", "n09", "n10", "n11"], names);
    }

    [Fact]
    public void A_dash_range_expands_like_a_bracket_range()
    {
        var names = NodeRange.Parse("cn001-cn003");

        Assert.Equal(["cn001", "cn002", "cn003"], names);
    }

    [Fact]
    public void A_bracket_range_may_list_numbers_and_carry_a_suffix()
    {
        var names = NodeRange.Parse("r[1-2,5]-bmc,other");

        Assert.Equal(["r1-bmc", "r2-bmc", "r5-bmc", "other"], names);
    }

    [Fact]
    public void Names_with_different_prefixes_around_a_dash_are_one_name()
    {
        var names = NodeRange.Parse("rack1-node2");

        Assert.Equal(["rack1-node2"], names);
    }

    [Fact]
    public void A_group_expands_to_its_members_and_duplicates_appear_once()
    {
        // Given three nodes, two of them in group compute
        using var site = new TempSite();
        AddNode(site, "cn1", "all,compute");
        AddNode(site, "cn2", "compute");
        AddNode(site, "login1", "all");

        // When the noderange names the group, one member again, and a range over the nodes
        var result = site.Site.Database.Read(s => NodeRange.Expand(s, "compute,cn1,login1"));

        // Then each node appears once, in the order first named
        Assert.Equal(["cn1", "cn2", "login1"], result.Nodes);
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void Names_that_are_neither_node_nor_group_are_reported_as_missing()
    {
        using var site = new TempSite();
        AddNode(site, "n01", "compute");
        AddNode(site, "n02", "compute");

        var result = site.Site.Database.Read(s => NodeRange.Expand(s, "n[01-03],ghost"));

        Assert.Equal(["n01", "n02"], result.Nodes);
        Assert.Equal(["n03", "ghost"], result.Missing);
    }

    [Fact]
    public void A_node_whose_name_looks_like_a_range_is_taken_by_its_name()
    {
        using var site = new TempSite();
        AddNode(site, "a1-a3", "odd");

        var result = site.Site.Database.Read(s => NodeRange.Expand(s, "a1-a3"));

        Assert.Equal(["a1-a3"], result.Nodes);
        Assert.Empty(result.Missing);
    }

    [Fact]
    public void A_disabled_node_is_not_a_node()
    {
        using var site = new TempSite();
        AddNode(site, "cn1", "compute");
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.NodeList, ["cn2"], new Dictionary<string, string?> { ["groups"] = "compute", ["disable"] = "1" });
            return 0;
        });

        var result = site.Site.Database.Read(s => NodeRange.Expand(s, "compute,cn2"));

        Assert.Equal(["cn1"], result.Nodes);
        Assert.Equal(["cn2"], result.Missing);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("n[01-10", "a '[' is not closed")]
    [InlineData("n01-10]", "a ']' has no matching '['")]
    [InlineData("a,,b", "it has an empty item between commas")]
    [InlineData("n[a-c]", "is not a list of numbers and number ranges")]
    [InlineData("n[10-01]", "counts down from 10 to 01")]
    [InlineData("n[1-2][3-4]", "is not of the form prefix[first-last]suffix")]
    [InlineData("bad name", "'bad name' is not a node or group name")]
    [InlineData("n1-n9999999", "spells more than 100000 names")]
    public void A_malformed_noderange_is_an_error_that_names_it(string noderange, string reason)
    {
        var error = Assert.Throws<XcatException>(() => NodeRange.Parse(noderange));

        Assert.StartsWith($"Malformed noderange '{noderange}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    internal static void AddNode(TempSite site, string node, string groups) =>
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.NodeList, [node], new Dictionary<string, string?> { ["groups"] = groups });
            return 0;
        });
}
