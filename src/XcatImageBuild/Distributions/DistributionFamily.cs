namespace XcatImageBuild.Distributions;

/// <summary>
/// The distribution families xCAT has one set of plugins for: the installer, the media layout copycds knows and the
/// genimage script all follow the family.
/// </summary>
public enum DistributionFamily
{
    /// <summary>anaconda.pm and the rh genimage: RHEL, CentOS, Rocky, AlmaLinux, Oracle Linux, Fedora, Scientific Linux.</summary>
    RedHat,

    /// <summary>sles.pm: SLES, SLE 15, openSUSE Leap and the older openSUSE releases.</summary>
    Suse,

    /// <summary>debian.pm: Debian and Ubuntu.</summary>
    Debian,

    /// <summary>Windows images (xCAT's windows.pm); nothing here builds or copies them.</summary>
    Windows,

    /// <summary>VMware ESX and ESXi (esx.pm); nothing here builds or copies them.</summary>
    Esx,
}
