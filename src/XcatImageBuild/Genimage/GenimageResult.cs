namespace XcatImageBuild.Genimage;

/// <summary>What a genimage run produced, as paths on disk; for a dry run, only what it would build.</summary>
/// <param name="ImageName">The osimage.</param>
/// <param name="RootDirectory">The root tree, <c>&lt;rootimgdir&gt;/rootimg</c>.</param>
/// <param name="Kernel">The copied kernel, <c>&lt;rootimgdir&gt;/kernel</c>; null for a dry run.</param>
/// <param name="KernelVersion">The kernel version the initrd was built for; null for a dry run.</param>
/// <param name="Initrds">The initrds written: <c>initrd-stateless.gz</c> and, for statelite, <c>initrd-statelite.gz</c>; none for a dry run.</param>
/// <param name="Plan">For a dry run, the lines that describe the build (definition, passes, postinstall, kernel); else empty.</param>
public sealed record GenimageResult(
    string ImageName,
    string RootDirectory,
    string? Kernel,
    string? KernelVersion,
    IReadOnlyList<string> Initrds,
    IReadOnlyList<string> Plan)
{
    /// <summary>Whether this is a dry run's answer: nothing was built.</summary>
    public bool IsDryRun => Kernel is null;
}
