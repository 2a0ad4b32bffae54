using XcatImageBuild.Distributions;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Media;

/// <summary>
/// The osimage definitions copycds creates for a distribution it copied, named and filled as xCAT's
/// <c>update_tables_with_templates</c>, <c>update_tables_with_mgt_image</c> and <c>update_tables_with_diskless_image</c>
/// do (xcat-spec §5, §9): <c>&lt;os&gt;-&lt;arch&gt;-install-&lt;profile&gt;</c> for each profile with an install
/// template, <c>-stateful-mgmtnode</c>, <c>-netboot-compute</c>, and <c>-statelite-compute</c> for the RHEL family
/// and SUSE. Running copycds again sets the same columns again; <c>addkcmdline=quiet</c> goes only into a new row.
/// </summary>
public static class DefaultImages
{
    private static readonly string[] InstallProfiles = ["compute", "service"];

    /// <summary>Writes the default definitions; returns their names in the order written.</summary>
    /// <param name="tables">The open table transaction.</param>
    /// <param name="site">The site (installdir and the file lookup).</param>
    /// <param name="media">The identified media.</param>
    /// <param name="distribution">The media's distribution, whose platform directory holds the files.</param>
    /// <param name="pkgdir">The logical directory the media was copied to.</param>
    public static IReadOnlyList<string> Write(TableSession tables, XcatSite site, MediaIdentity media, Distribution distribution, string pkgdir)
    {
        ArgumentNullException.ThrowIfNull(distribution);
        var platform = distribution.Platform;
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(media);
        var os = media.DistName;
        var arch = media.Arch;
        string[] install = [DefaultFileLookup.CustomDirectory(site, "install", platform), DefaultFileLookup.ShippedDirectory("install", platform)];
        string[] netboot = [DefaultFileLookup.CustomDirectory(site, "netboot", platform), DefaultFileLookup.ShippedDirectory("netboot", platform)];
        // xCAT looks synclists up in the custom netboot directory only, for install images too (xcat-spec §5).
        string[] synclists = [DefaultFileLookup.CustomDirectory(site, "netboot", platform)];
        string? Find(string[] directories, string profile, string extension) => DefaultFileLookup.Find(site, directories, profile, os, arch, extension);

        var otherPkgDir = $"{site.InstallDir}/post/otherpkgs/{os}/{arch}";
        var names = new List<string>();
        void Image(string name, string profile, string provmethod, string? postscripts, Dictionary<string, string?> linux)
        {
            var osimage = new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["profile"] = profile,
                ["imagetype"] = "linux",
                ["provmethod"] = provmethod,
                ["osname"] = "Linux",
                ["osvers"] = os,
                ["osarch"] = arch,
                ["synclists"] = Find(synclists, profile, "synclist"),
                ["osdistroname"] = $"{os}-{arch}",
            };
            if (postscripts is not null)
            {
                osimage["postscripts"] = postscripts;
            }

            if (tables.Find(XcatSchema.LinuxImage, name) is null)
            {
                linux["addkcmdline"] = "quiet";
            }

            tables.Set(XcatSchema.OsImage, [name], osimage);
            tables.Set(XcatSchema.LinuxImage, [name], linux);
            names.Add(name);
        }

        foreach (var profile in InstallProfiles)
        {
            if (Find(install, profile, "tmpl") is not { } template)
            {
                continue;
            }

            Image($"{os}-{arch}-install-{profile}", profile, "install", profile == "service" ? "servicenode" : null, new(StringComparer.Ordinal)
            {
                ["template"] = template,
                ["pkgdir"] = pkgdir,
                ["pkglist"] = Find(install, profile, "pkglist"),
                ["otherpkglist"] = Find(install, profile, "otherpkgs.pkglist"),
                ["otherpkgdir"] = otherPkgDir,
            });
        }

        // The management node's own image is installed like a compute node (update_tables_with_mgt_image).
        Image($"{os}-{arch}-stateful-mgmtnode", "compute", "install", null, new(StringComparer.Ordinal)
        {
            ["template"] = Find(install, "compute", "tmpl"),
            ["pkgdir"] = pkgdir,
            ["pkglist"] = Find(install, "compute", "pkglist"),
            ["otherpkglist"] = Find(install, "compute", "otherpkgs.pkglist"),
            ["otherpkgdir"] = otherPkgDir,
        });

        if (Find(netboot, "compute", "pkglist") is { } pkglist)
        {
            // Debian and Ubuntu get no statelite image (xcat-spec §9).
            var modes = distribution.HasStatelite ? new[] { "netboot", "statelite" } : ["netboot"];
            foreach (var mode in modes)
            {
                Image($"{os}-{arch}-{mode}-compute", "compute", mode, null, new(StringComparer.Ordinal)
                {
                    ["pkglist"] = pkglist,
                    ["pkgdir"] = pkgdir,
                    ["otherpkglist"] = Find(netboot, "compute", "otherpkgs.pkglist"),
                    ["otherpkgdir"] = otherPkgDir,
                    ["exlist"] = Find(netboot, "compute", "exlist"),
                    ["postinstall"] = Find(netboot, "compute", "postinstall"),
                    ["rootimgdir"] = $"{site.InstallDir}/netboot/{os}/{arch}/compute",
                });
            }
        }

        return names;
    }
}
