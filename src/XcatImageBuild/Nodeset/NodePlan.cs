namespace XcatImageBuild.Nodeset;

/// <summary>One checked node: what it boots and everything its boot loader file is written from.</summary>
internal sealed record NodePlan(
    string Node,
    NodesetImage? Image,
    BootLoader Boot,
    string Netboot,
    string TftpDir,
    string FacingAddress,
    string? Address,
    string? Mac,
    string? Arch,
    NodesetSettings Settings,
    string? TftpServer)
{
    /// <summary>Plans the node's boot loader files.</summary>
    public void Write(BootFiles files)
    {
        switch (Netboot)
        {
            case "xnba":
                XnbaBootFile.Plan(files, TftpDir, Boot, Settings.HttpPort, Image?.EfiStub ?? false);
                break;
            case "pxe":
                PxelinuxBootFile.Plan(files, TftpDir, Boot, FacingAddress, Address!, Image?.Record.OsVers ?? string.Empty);
                break;
            default:
                // grub2.pm: the node loads from noderes.tftpserver, else its xcatmaster, else the address facing it.
                Grub2BootFile.Plan(
                    files, TftpDir, Boot, Netboot, TftpServer ?? FacingAddress, FacingAddress, Address!, Mac!, Arch ?? string.Empty,
                    Settings.HttpPort, Settings.XcatDebugMode is "1" or "2");
                break;
        }
    }
}
