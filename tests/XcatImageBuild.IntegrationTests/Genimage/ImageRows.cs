using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>Defines a diskless osimage in a test site with table rows, as mkdef or copycds would.</summary>
public static class ImageRows
{
    public static void Define(TempSite site, string name, string osvers, string provmethod, IReadOnlyDictionary<string, string?> linuxImage)
    {
        site.Site.Database.Write(session =>
        {
            session.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["imagetype"] = "linux",
                ["provmethod"] = provmethod,
                ["osname"] = "Linux",
                ["osvers"] = osvers,
                ["osarch"] = "x86_64",
            });
            session.Set(XcatSchema.LinuxImage, [name], linuxImage);
            return 0;
        });
    }

    /// <summary>Writes an executable script at a logical path.</summary>
    public static string WriteScript(TempSite site, string logicalPath, string text)
    {
        var path = site.WriteFile(logicalPath, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return logicalPath;
    }

    /// <summary>The mount points inside the site; a build must leave none, whatever happened.</summary>
    public static IReadOnlyList<string> MountsUnder(TempSite site) =>
        XcatImageBuild.Genimage.RootMounts.MountPointsUnder(site.Directory);
}
