namespace XcatImageBuild.Nodeset;

/// <summary>What a boot loader file is written from: one node's boot state and, unless it boots locally, its kernel.</summary>
/// <param name="Node">The node name.</param>
/// <param name="State">chain.currstate: <c>netboot debian12-x86_64-compute</c>, <c>statelite ...</c> or <c>boot</c>.</param>
/// <param name="Kernel">The kernel path relative to the tftp directory (<c>xcat/osimage/IMAGE/kernel</c>); null for boot.</param>
/// <param name="Initrd">The initrd path relative to the tftp directory; null for boot.</param>
/// <param name="CommandLine">mknetboot's kernel command line (bootparams.kcmdline), placeholder included; null for boot.</param>
/// <param name="NodeAddKcmdline">bootparams.addkcmdline of the node.</param>
/// <param name="ImageAddKcmdline">linuximage.addkcmdline of the image.</param>
internal sealed record BootLoader(
    string Node, string State, string? Kernel, string? Initrd, string? CommandLine, string? NodeAddKcmdline, string? ImageAddKcmdline)
{
    /// <summary>Whether the node is to boot from its disk (nodeset boot).</summary>
    public bool IsLocalBoot => Kernel is null;

    /// <summary>
    /// The command line with the addkcmdline words appended the way xnba.pm and pxe.pm do it: the node's words, a blank
    /// and the image's words, split into volatile words, the whole after one more blank.
    /// </summary>
    public string CommandLineWithAdditions()
    {
        var line = CommandLine ?? string.Empty;
        if (string.IsNullOrEmpty(NodeAddKcmdline) && string.IsNullOrEmpty(ImageAddKcmdline))
        {
            return line;
        }

        var additions = string.IsNullOrEmpty(ImageAddKcmdline) ? NodeAddKcmdline! : $"{NodeAddKcmdline} {ImageAddKcmdline}";
        return line + " " + (KernelCommandLine.VolatileArguments(additions) ?? string.Empty);
    }
}
