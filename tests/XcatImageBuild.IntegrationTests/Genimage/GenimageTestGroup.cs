namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// The tests that read the Debian image share it and run one after another; it is built once per test run.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GenimageTestGroup : ICollectionFixture<DebianImageFixture>
{
    public const string Name = "genimage";
}
