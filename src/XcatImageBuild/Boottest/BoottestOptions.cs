namespace XcatImageBuild.Boottest;

/// <summary>How <see cref="BoottestStage"/> boots a node.</summary>
public sealed record BoottestOptions
{
    /// <summary>How long the node has to print its ready marker once qemu starts.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The guest's memory in MiB; the root image is unpacked into it.</summary>
    public int MemoryMiB { get; init; } = 2048;

    /// <summary>Files the booted system must report present besides its root and image name (the postinstall's marker, a synclist file...).</summary>
    public IReadOnlyList<string> ExpectedFiles { get; init; } = [];
}
