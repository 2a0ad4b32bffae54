namespace XcatImageBuild.Tests.Definitions;

public sealed class HelpTests
{
    [Theory]
    [InlineData("lsdef", "List xCAT data object definitions")]
    [InlineData("mkdef", "Create xCAT data object definitions")]
    [InlineData("chdef", "Change xCAT data object definitions")]
    [InlineData("rmdef", "Remove xCAT data object definitions")]
    public void Help_of_a_definition_verb_says_what_it_does_and_lists_its_flags(string verb, string description)
    {
        var result = Testing.Cli.Run(verb, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(description, result.Output, StringComparison.Ordinal);
        Assert.Contains("-t <TYPE>", result.Output, StringComparison.Ordinal);
        Assert.Contains("-o <NAMES>", result.Output, StringComparison.Ordinal);
    }
}
