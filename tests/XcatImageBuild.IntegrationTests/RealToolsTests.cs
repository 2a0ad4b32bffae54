using XcatImageBuild.Processes;

namespace XcatImageBuild.IntegrationTests;

public sealed class RealToolsTests
{
    [Fact]
    public void A_failing_tool_is_reported_with_its_name_exit_code_and_output()
    {
        var runner = new ProcessRunner();

        var error = Assert.Throws<XcatException>(() => runner.Run(new ToolCommand("sh", ["-c", "echo broken >&2; exit 3"])));

        Assert.Contains("sh failed with exit code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("broken", error.Message, StringComparison.Ordinal);
    }
}
