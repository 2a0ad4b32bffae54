namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Tests that change the process's working directory (imgexport writes its bundle there) run alone, so no other
/// test sees the directory change under it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkingDirectoryGroup
{
    public const string Name = "Working directory";
}
