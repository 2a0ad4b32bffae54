using XcatImageBuild.Distributions;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>The package manager backends, and the choice of one by the distribution table's package manager of osimage.osvers.</summary>
public static class PackageManagerCatalog
{
    /// <summary>Every backend; adding one is one line here and its name in <see cref="Distribution.All"/>.</summary>
    public static IReadOnlyList<IPackageManager> All { get; } =
    [
        new Apt(),
        new Dnf(),
        new Zypper(),
    ];

    /// <summary>The backend that builds images of <paramref name="osvers"/>, or null when none does.</summary>
    public static IPackageManager? Find(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        var name = Distribution.Of(osvers)?.PackageManager;
        return All.FirstOrDefault(m => m.Name == name);
    }

    /// <summary>The backend that builds images of <paramref name="osvers"/>.</summary>
    /// <exception cref="XcatException">No backend knows that OS version.</exception>
    public static IPackageManager For(string osvers) =>
        Find(osvers)
        ?? throw new XcatException(
            $"genimage does not know how to build an image of '{osvers}': osvers must start with "
            + string.Join(", ", Distribution.All.Where(d => d.PackageManager is not null).Select(d => d.Prefix)) + ".");
}
