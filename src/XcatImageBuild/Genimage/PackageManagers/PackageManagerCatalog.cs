namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>The package manager backends, and the choice of one by osimage.osvers.</summary>
public static class PackageManagerCatalog
{
    /// <summary>Every backend; adding one is one line here.</summary>
    public static IReadOnlyList<IPackageManager> All { get; } =
    [
        new Apt(),
        new Dnf(),
        new Zypper(),
    ];

    /// <summary>The backend that builds images of <paramref name="osvers"/>.</summary>
    /// <exception cref="XcatException">No backend knows that OS version.</exception>
    public static IPackageManager For(string osvers) =>
        All.FirstOrDefault(m => m.Builds(osvers))
        ?? throw new XcatException(
            $"genimage does not know how to build an image of '{osvers}': osvers must start with debian, ubuntu, rhels, rocky, alma, centos, ol, fedora, sles or opensuse.");
}
