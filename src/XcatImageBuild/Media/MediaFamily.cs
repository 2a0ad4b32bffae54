namespace XcatImageBuild.Media;

/// <summary>Which of xCAT's copycds plugins claims a media: the one that knows its metadata and its layout.</summary>
public enum MediaFamily
{
    /// <summary>anaconda.pm: RHEL, CentOS, Rocky, AlmaLinux, Oracle Linux, Fedora (<c>.discinfo</c>, <c>.treeinfo</c>).</summary>
    RedHat,

    /// <summary>sles.pm: SLES, SLE 15 and openSUSE Leap (<c>media.1/media</c>, <c>media.1/products</c>, <c>content</c>).</summary>
    Suse,

    /// <summary>debian.pm: Debian and Ubuntu (<c>.disk/info</c>).</summary>
    Debian,
}
