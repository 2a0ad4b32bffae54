using XcatImageBuild.Nodes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Nodes;

public sealed class NodePostscriptsTests
{
    [Fact]
    public void A_node_row_wins_over_its_groups()
    {
        using var site = new TempSite();
        NodeRangeTests.AddNode(site, "cn1", "compute");
        SetScripts(site, "compute", "groupscript", "groupboot");
        SetScripts(site, "cn1", "nodescript", "nodeboot");

        var scripts = site.Site.Database.Read(s => NodePostscripts.Resolve(s, "cn1"));

        Assert.Equal(new NodePostscripts("cn1", "nodescript", "nodeboot"), scripts);
    }

    [Fact]
    public void Without_a_node_row_the_first_group_in_nodelist_order_with_a_row_is_used()
    {
        // Given cn1 in groups all,rack1,compute where rack1 and compute both have rows
        using var site = new TempSite();
        NodeRangeTests.AddNode(site, "cn1", "all,rack1,compute");
        SetScripts(site, "compute", "computescript", "computeboot");
        SetScripts(site, "rack1", "rackscript", "rackboot");

        // When its postscripts are resolved
        var scripts = site.Site.Database.Read(s => NodePostscripts.Resolve(s, "cn1"));

        // Then rack1's row is used because rack1 comes first in the node's groups
        Assert.Equal(new NodePostscripts("cn1", "rackscript", "rackboot"), scripts);
    }

    [Fact]
    public void Each_attribute_falls_back_to_a_group_on_its_own()
    {
        using var site = new TempSite();
        NodeRangeTests.AddNode(site, "cn1", "compute");
        SetScripts(site, "cn1", "nodescript", null);
        SetScripts(site, "compute", "groupscript", "groupboot");

        var scripts = site.Site.Database.Read(s => NodePostscripts.Resolve(s, "cn1"));

        Assert.Equal(new NodePostscripts("cn1", "nodescript", "groupboot"), scripts);
    }

    [Fact]
    public void A_node_without_any_row_has_no_scripts_and_the_defaults_stay_separate()
    {
        using var site = new TempSite();
        NodeRangeTests.AddNode(site, "cn1", "compute");

        var (scripts, defaults) = site.Site.Database.Read(s => (NodePostscripts.Resolve(s, "cn1"), NodePostscripts.Defaults(s)));

        Assert.Equal(new NodePostscripts("cn1", null, null), scripts);
        Assert.Equal(new NodePostscripts("xcatdefaults", "syslog,remoteshell,syncfiles", "otherpkgs"), defaults);
    }

    [Fact]
    public void An_unknown_node_is_an_error_naming_it()
    {
        using var site = new TempSite();

        var error = Assert.Throws<XcatException>(() => site.Site.Database.Read(s => NodePostscripts.Resolve(s, "ghost")));

        Assert.Equal("The node 'ghost' is not in the nodelist table.", error.Message);
    }

    private static void SetScripts(TempSite site, string owner, string? postscripts, string? postbootscripts) =>
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.Postscripts, [owner], new Dictionary<string, string?> { ["postscripts"] = postscripts, ["postbootscripts"] = postbootscripts });
            return 0;
        });
}
