using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

public sealed class ImportRoundTripTests
{
    [Fact]
    public void Export_then_import_into_a_second_site_gives_identical_rows_and_files()
    {
        // Given a netboot image with a postscript exported with -e
        using var exporting = new ExportFixture();
        exporting.AddNetbootImage();
        exporting.Site.WriteFile("/install/postscripts/mypost", "#!/bin/sh\necho mypost\n");
        var export = exporting.Export(ExportFixture.Netboot, "netboot.tgz", "-e", "/install/postscripts/mypost");
        Assert.True(export.ExitCode == 0, export.Error);

        // When it is imported into a new site, allowing the shipped lists back where they were
        using var importing = new TempSite();
        var result = importing.Run("imgimport", Path.Combine(exporting.Output, "netboot.tgz"), "--require-checksums", "--allow-path", "/opt/xcat/share/xcat");

        // Then both sites hold the same rows and the same files
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Successfully imported the image {ExportFixture.Netboot}.", result.Output, StringComparison.Ordinal);
        foreach (var table in new[] { "osimage", "linuximage" })
        {
            Assert.Equal(exporting.Site.Run("tabdump", table).Output, importing.Run("tabdump", table).Output);
        }

        Assert.Equal(Files(exporting.Site), Files(importing));
    }

    [Fact]
    public void Without_allow_path_the_round_trip_keeps_shipped_lists_in_the_custom_tree()
    {
        // Given the same exported image
        using var exporting = new ExportFixture();
        exporting.AddNetbootImage();
        Assert.Equal(0, exporting.Export(ExportFixture.Netboot, "netboot.tgz").ExitCode);

        // When it is imported with the default path rules
        using var importing = new TempSite();
        var result = importing.Run("imgimport", Path.Combine(exporting.Output, "netboot.tgz"));

        // Then the lists and the rows point into <installdir>/custom, and /opt is untouched
        Assert.True(result.ExitCode == 0, result.Error);
        var linux = importing.Site.Database.Find(XcatSchema.LinuxImage, ExportFixture.Netboot)!;
        Assert.Equal("/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist", linux["pkglist"]);
        Assert.Equal("/install/custom/netboot/rh/compute.rhels8.x86_64.exlist", linux["exlist"]);
        Assert.Equal(
            File.ReadAllText(exporting.Site.Map(ExportFixture.Pkglist)),
            File.ReadAllText(importing.Map("/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist")));
        Assert.False(Directory.Exists(importing.Map("/opt")));
    }

    [Fact]
    public void A_statelite_export_imports_its_litefile_rows_and_unpacks_its_root_tree()
    {
        // Given an exported statelite image with litefile rows, whose root holds a hard-linked pair and an absolute link
        using var exporting = new ExportFixture();
        exporting.AddStateliteImage();
        var rootimg = exporting.Site.Map(ExportFixture.RootImgDir + "/rootimg");
        File.WriteAllText(Path.Combine(rootimg, "usr/bin/first"), "linked\n");
        new ProcessRunner().Run(new ToolCommand("ln", [Path.Combine(rootimg, "usr/bin/first"), Path.Combine(rootimg, "usr/bin/second")]));
        File.CreateSymbolicLink(Path.Combine(rootimg, "usr/bin/hostname-link"), "/etc/hostname");
        Assert.Equal(0, exporting.Export(ExportFixture.Statelite, "statelite.tgz").ExitCode);

        // When it is imported into a site that has an ALL row equal to one of the image's rows and an older rootimg
        using var importing = new TempSite();
        importing.Site.Database.Write(s => { s.Set(XcatSchema.LiteFile, ["ALL", "/var/log/"], new Dictionary<string, string?> { ["options"] = "persistent" }); return 0; });
        importing.WriteFile(ExportFixture.RootImgDir + "/rootimg/stale", "from an older image\n");
        var result = importing.Run("imgimport", Path.Combine(exporting.Output, "statelite.tgz"));

        // Then the litefile rows are written under the image name (the one equal to an ALL row skipped), and the
        // root tree is unpacked into rootimg/ in place of the old one, as `cpio -idum` would unpack it, with no
        // archive left and nothing in staging
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Updating the litefile table.\nThe litetree and statelite tables are untouched. You can update them if needed.\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Extracting rootimgtree.gz into {ExportFixture.RootImgDir}/rootimg. It will take a while.", result.Output, StringComparison.Ordinal);
        var litefile = importing.Run("tabdump", "litefile").Output;
        Assert.Contains($"\"{ExportFixture.Statelite}\",\"/etc/ntp.conf\",\"rw\",,\n", litefile, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{ExportFixture.Statelite}\",\"/var/log/\"", litefile, StringComparison.Ordinal);
        var unpacked = importing.Map(ExportFixture.RootImgDir + "/rootimg");
        Assert.False(File.Exists(importing.Map(ExportFixture.RootImgDir + "/rootimgtree.gz")));
        Assert.False(File.Exists(Path.Combine(unpacked, "stale")));
        Assert.Equal("node\n", File.ReadAllText(Path.Combine(unpacked, "etc/hostname")));
        Assert.Equal("#!/bin/sh\n", File.ReadAllText(Path.Combine(unpacked, "usr/bin/tool")));
        Assert.Equal("linked\n", File.ReadAllText(Path.Combine(unpacked, "usr/bin/second")));
        Assert.Equal(Inode(Path.Combine(unpacked, "usr/bin/first")), Inode(Path.Combine(unpacked, "usr/bin/second")));
        Assert.Equal("/etc/hostname", new FileInfo(Path.Combine(unpacked, "usr/bin/hostname-link")).LinkTarget);
        Assert.Equal("rootimg", string.Join('\n', Directory.GetDirectories(importing.Map(ExportFixture.RootImgDir)).Select(Path.GetFileName)));
        Assert.Empty(Directory.GetFileSystemEntries(importing.Map(StagingArea.LogicalParent)));
    }

    private static string Inode(string path) => new ProcessRunner().Run(new ToolCommand("stat", ["-c", "%i", path])).StandardOutput.Trim();

    [Fact]
    public void One_file_exported_for_two_destinations_travels_once_and_lands_in_both()
    {
        // Given a netboot image exported with the same file as two extras for two destinations
        using var exporting = new ExportFixture();
        exporting.AddNetbootImage();
        exporting.Site.WriteFile("/install/postscripts/mypost", "#!/bin/sh\necho mypost\n");
        var export = exporting.Export(ExportFixture.Netboot, "twice.tgz", "-e", "/install/postscripts/mypost:/install/a", "-e", "/install/postscripts/mypost:/install/b");
        Assert.True(export.ExitCode == 0, export.Error);
        var listing = new ProcessRunner().Run(new ToolCommand("tar", ["-tzf", Path.Combine(exporting.Output, "twice.tgz")])).StandardOutput;
        Assert.Single(listing.Split('\n'), line => line.EndsWith("/extra/mypost", StringComparison.Ordinal));

        // When it is imported into a new site
        using var importing = new TempSite();
        var result = importing.Run("imgimport", Path.Combine(exporting.Output, "twice.tgz"), "--require-checksums");

        // Then the file is at both destinations
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("#!/bin/sh\necho mypost\n", File.ReadAllText(importing.Map("/install/a/mypost")));
        Assert.Equal("#!/bin/sh\necho mypost\n", File.ReadAllText(importing.Map("/install/b/mypost")));
        Assert.Empty(Directory.GetFileSystemEntries(importing.Map(StagingArea.LogicalParent)));
    }

    private static string Files(TempSite site)
    {
        var lines = new List<string>();
        foreach (var top in new[] { "/install", "/opt" })
        {
            var root = site.Map(top);
            if (!Directory.Exists(root))
            {
                continue;
            }

            foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                lines.Add($"{site.Site.Root.ToLogical(path)} {Convert.ToString((int)File.GetUnixFileMode(path), 8)} {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)))}");
            }
        }

        return string.Join('\n', lines.Order(StringComparer.Ordinal));
    }
}
