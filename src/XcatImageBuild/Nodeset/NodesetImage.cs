using XcatImageBuild.Images;

namespace XcatImageBuild.Nodeset;

/// <summary>One osimage as nodeset serves it: its definition and the files of its root image directory it sends.</summary>
/// <param name="Record">The osimage and linuximage rows.</param>
/// <param name="RootImageDirectory">The logical root image directory.</param>
/// <param name="Initrd">The initrd's file name in the root image directory (initrd-stateless.gz or initrd-statelite.gz).</param>
/// <param name="PackedImage">The packed image's file name for a netboot image, null for statelite.</param>
/// <param name="EfiStub">Whether the kernel has an EFI stub (UEFI xnba nodes boot it directly).</param>
internal sealed record NodesetImage(OsImageRecord Record, string RootImageDirectory, string Initrd, string? PackedImage, bool EfiStub)
{
    public string Name => Record.Name;

    public bool Statelite => Record.ProvMethod == "statelite";

    /// <summary>The boot state's name: <c>netboot debian12-x86_64-compute</c> (destiny.pm: provmethod, then os-arch-profile).</summary>
    public string State => $"{Record.ProvMethod} {Record.OsVers}-{Record.OsArch}-{Record.Profile}";
}
