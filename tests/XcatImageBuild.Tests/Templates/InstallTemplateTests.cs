using XcatImageBuild.Templates;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Templates;

public class InstallTemplateTests
{
    private static Dictionary<string, object?> Values(string description, string kernelArguments) => new(StringComparer.Ordinal)
    {
        ["name"] = "rocky9.4-x86_64-install-compute",
        ["osvers"] = "rocky9.4",
        ["osarch"] = "x86_64",
        ["profile"] = "compute",
        ["platform"] = "rocky",
        ["description"] = description,
        ["kernelArguments"] = kernelArguments,
        ["values"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["rack"] = "r12" },
    };

    [Theory]
    [InlineData("kickstart.tmpl")]
    [InlineData("autoyast.tmpl")]
    [InlineData("preseed.tmpl")]
    public void Each_shipped_template_renders_exactly_as_its_golden_file(string name)
    {
        var bare = InstallTemplate.Render(InstallTemplate.Shipped(name), Values(string.Empty, string.Empty), name);
        var full = InstallTemplate.Render(InstallTemplate.Shipped(name), Values("Rack 12 compute", "console=ttyS0,115200 quiet"), name);

        Golden.Check($"Templates/{name}.bare.txt", bare);
        Golden.Check($"Templates/{name}.full.txt", full);
    }

    [Fact]
    public void A_template_full_of_xcat_directives_keeps_every_one_of_them()
    {
        const string Directives = """
            #TABLE:site:key=master:value#
            #INCLUDE:#ENV:XCATROOT#/share/xcat/install/scripts/post.xcat#
            #COMMAND:hostname -s#
            #CRYPT:passwd:key=system,username=root:password#
            #INCLUDE_DEFAULTPKGLIST#
            #ENV:XCATROOT#
            """;

        var rendered = InstallTemplate.Render("# {{ name }} {{values.rack}}\n" + Directives, Values(string.Empty, string.Empty), "t.tmpl");

        Assert.Equal("# rocky9.4-x86_64-install-compute r12\n" + Directives, rendered);
    }

    [Fact]
    public void A_value_the_template_uses_but_nobody_gave_is_an_error_naming_the_template()
    {
        var error = Assert.Throws<XcatException>(() => InstallTemplate.Render("rack {{ values.row }}\n", Values(string.Empty, string.Empty), "my.tmpl"));

        Assert.StartsWith("The install template my.tmpl cannot be rendered:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_template_is_an_error_naming_the_template()
    {
        var error = Assert.Throws<XcatException>(() => InstallTemplate.Render("{{ if name }}never closed\n", Values(string.Empty, string.Empty), "my.tmpl"));

        Assert.StartsWith("The install template my.tmpl cannot be rendered:", error.Message, StringComparison.Ordinal);
    }
}
