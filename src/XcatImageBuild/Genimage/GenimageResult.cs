namespace XcatImageBuild.Genimage;

/// <summary>What a genimage run produced, as paths on disk.</summary>
/// <param name="RootDirectory">The root tree, <c>&lt;rootimgdir&gt;/rootimg</c>.</param>
/// <param name="Kernel">The copied kernel, <c>&lt;rootimgdir&gt;/kernel</c>.</param>
/// <param name="KernelVersion">The kernel version the initrd was built for.</param>
/// <param name="Initrds">The initrds written: <c>initrd-stateless.gz</c> and, for statelite, <c>initrd-statelite.gz</c>.</param>
public sealed record GenimageResult(string RootDirectory, string Kernel, string KernelVersion, IReadOnlyList<string> Initrds);
