using XcatImageBuild.Lists;

namespace XcatImageBuild.Genimage.PackageManagers;

/// <summary>
/// A distribution's package manager as genimage drives it: create the root from the first pass, install later passes
/// and other packages, remove, and update. One implementation per file, registered in <see cref="PackageManagerCatalog"/>.
/// </summary>
public interface IPackageManager
{
    /// <summary>The name used in messages and for the download cache directory, as <see cref="Distributions.Distribution.PackageManager"/> names it.</summary>
    string Name { get; }

    /// <summary>The host tools this backend runs, each with the Debian package that provides it.</summary>
    IReadOnlyList<(string Tool, string Package)> RequiredTools { get; }

    /// <summary>Creates the root from the first pass of the pkglist (or installs it into an existing root).</summary>
    /// <exception cref="XcatException">No usable repository, or the tool failed.</exception>
    void Bootstrap(GenimageContext context, PackagePass firstPass);

    /// <summary>Installs a later pass of the pkglist from the pkgdir repositories.</summary>
    /// <exception cref="XcatException">The tool failed (an unknown package, for one).</exception>
    void Install(GenimageContext context, PackagePass pass);

    /// <summary>Installs a pass of the otherpkglist from the otherpkgdir repositories.</summary>
    /// <exception cref="XcatException">The tool failed.</exception>
    void InstallOther(GenimageContext context, PackagePass pass);

    /// <summary>Removes packages from the root (<c>-pkg</c> before and <c>--pkg</c> after a pass).</summary>
    /// <exception cref="XcatException">The tool failed.</exception>
    void Remove(GenimageContext context, IReadOnlyList<string> packages, IReadOnlyList<string> environment);

    /// <summary>Updates what is installed from every repository (skipped with <c>--noupdate</c>).</summary>
    /// <exception cref="XcatException">The tool failed.</exception>
    void Update(GenimageContext context);
}
