using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Images;

/// <summary>
/// An osimage as the stages read it: its osimage row and, when there is one, its linuximage row, each with only the
/// non-empty columns (as xCAT's getAttribs returns them). Disabled rows are invisible.
/// </summary>
public sealed class OsImageRecord
{
    private OsImageRecord(string name, IReadOnlyDictionary<string, string> osImage, IReadOnlyDictionary<string, string>? linuxImage)
    {
        Name = name;
        OsImage = osImage;
        LinuxImage = linuxImage;
    }

    public string Name { get; }

    /// <summary>The non-empty osimage columns, <c>imagename</c> included.</summary>
    public IReadOnlyDictionary<string, string> OsImage { get; }

    /// <summary>The non-empty linuximage columns, or null when the image has no linuximage row.</summary>
    public IReadOnlyDictionary<string, string>? LinuxImage { get; }

    public string? Profile => OsImage.GetValueOrDefault("profile");

    public string? ProvMethod => OsImage.GetValueOrDefault("provmethod");

    public string? OsVers => OsImage.GetValueOrDefault("osvers");

    public string? OsArch => OsImage.GetValueOrDefault("osarch");

    /// <summary>Reads the image, or null when the osimage table has no (enabled) row of that name.</summary>
    public static OsImageRecord? Find(XcatDatabase database, string name)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(name);
        return database.Read(session =>
        {
            var os = session.Find(XcatSchema.OsImage, name);
            if (os is null || os.IsDisabled)
            {
                return null;
            }

            var linux = session.Find(XcatSchema.LinuxImage, name);
            return new OsImageRecord(name, os.NonEmpty(), linux is null || linux.IsDisabled ? null : linux.NonEmpty());
        });
    }

    /// <summary>Reads the image or fails with xCAT's message.</summary>
    /// <exception cref="XcatException"><c>Cannot find image '&lt;name&gt;' from the osimage table.</c></exception>
    public static OsImageRecord Load(XcatDatabase database, string name) =>
        Find(database, name) ?? throw new XcatException($"Cannot find image '{name}' from the osimage table.");

    /// <summary>A linuximage column, or null when unset (or when there is no linuximage row).</summary>
    public string? Linux(string column) => LinuxImage?.GetValueOrDefault(column);

    /// <summary>
    /// The logical root image directory: linuximage.rootimgdir, else <c>&lt;installdir&gt;/netboot/&lt;osvers&gt;/&lt;osarch&gt;/&lt;profile&gt;</c>
    /// (xcat-spec §2.2, §3.3).
    /// </summary>
    public string RootImageDirectory(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return Linux("rootimgdir") ?? $"{site.InstallDir.TrimEnd('/')}/netboot/{OsVers}/{OsArch}/{Profile}";
    }
}
