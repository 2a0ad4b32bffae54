using XcatImageBuild.Cli;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Packimage;

public sealed class PackimageTests
{
    [Fact]
    public void Packimage_writes_rootimg_cpio_gz_with_mode_0644_and_prints_xcats_lines()
    {
        // Given a netboot image with a rootimg
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();

        // When it is packed with the defaults
        var result = image.Pack();

        // Then xCAT's info lines are printed and the archive is a gzip'd newc cpio of the tree
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n');
        Assert.Contains($"Packing contents of {image.Directory}/rootimg", lines);
        Assert.Contains("archive method:cpio", lines);
        Assert.Contains("compress method:pigz", lines);
        var archive = image.Output("rootimg.cpio.gz");
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(archive));
        var names = ArchiveListing.Names(archive);
        Assert.Equal(".", names[0]);
        Assert.Contains("./usr/bin/tool", names);
        Assert.Contains("./usr/bin/alias", names);
        Assert.Contains("./var/empty", names);
        Assert.Contains("./xcatpost", names);
        Assert.Contains("./opt/xcat/xcatinfo", names);
        // Every directory comes before its contents, so cpio and the kernel can create them in one pass.
        Assert.All(names.Skip(1), n => Assert.True(names.ToList().IndexOf(n[..n.LastIndexOf('/')]) < names.ToList().IndexOf(n), n));
    }

    [Theory]
    [InlineData("cpio", "gzip", "rootimg.cpio.gz")]
    [InlineData("cpio", "xz", "rootimg.cpio.xz")]
    [InlineData("cpio", "zstd", "rootimg.cpio.zst")]
    [InlineData("tar", "pigz", "rootimg.tar.gz")]
    [InlineData("tar", "xz", "rootimg.tar.xz")]
    [InlineData("tar", "zstd", "rootimg.tar.zst")]
    public void Each_method_and_compressor_gives_its_xcat_file_name_readable_by_the_real_tools(string method, string compress, string file)
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();

        var result = image.Pack("-m", method, "-c", compress);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"archive method:{method}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"compress method:{compress}", result.Output, StringComparison.Ordinal);
        var names = ArchiveListing.Names(image.Output(file));
        Assert.Contains(names, n => n.TrimEnd('/') == "./usr/bin/tool");
        Assert.Equal([file], Directory.EnumerateFiles(site.Map(image.Directory), "rootimg.*").Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("-m", "invalid", "Error: Invalid archive method 'invalid' requested")]
    [InlineData("-c", "invalid", "Error: Invalid compress method 'invalid' requested")]
    public void An_unknown_method_or_compressor_is_refused_before_the_image_is_touched(string flag, string value, string message)
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();

        var result = image.Pack(flag, value);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(image.RootImg, "xcatpost")));
        Assert.False(File.Exists(image.Output("rootimg.cpio.gz")));
    }

    [Fact]
    public void A_missing_image_is_reported_with_xcats_message()
    {
        using var site = new TempSite();

        var result = site.Run("packimage", "nosuchimage");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: Cannot find image 'nosuchimage' from the osimage table.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_rootimg_is_reported_and_nothing_is_created()
    {
        // Given an image that was never built (xCAT would create rootimg/xcatpost and pack a near-empty tree)
        using var site = new TempSite();
        var image = new NetbootImage(site);

        var result = image.Pack();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"Error: {image.Directory}/rootimg does not exist, run genimage -o debian12 -p compute on a server with matching architecture",
            result.Error,
            StringComparison.Ordinal);
        Assert.False(Directory.Exists(image.RootImg));
    }

    [Fact]
    public void An_unreadable_exlist_fails_and_leaves_the_previous_archive_untouched()
    {
        // Given an image packed once, then pointed at an exlist that does not exist
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        Assert.Equal(0, image.Pack().ExitCode);
        var before = File.ReadAllBytes(image.Output("rootimg.cpio.gz"));
        site.SetRows(s => s.Set(XcatSchema.LinuxImage, [NetbootImage.Name], new Dictionary<string, string?> { ["exlist"] = "/install/custom/netboot/debian/missing.exlist" }));

        // When it is packed again
        var result = image.Pack();

        // Then the error names the list and the old archive is still there, unchanged
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("/install/custom/netboot/debian/missing.exlist", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(image.Output("rootimg.cpio.gz")));
    }

    [Fact]
    public void The_exlist_excludes_and_the_five_statelite_paths_are_left_out_and_an_include_keeps_its_parents()
    {
        // Given an exlist that drops all docs but re-includes one file deep inside them (xCAT #4488)
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/debian/compute.exlist", "./usr/share/doc*\n+./usr/share/doc/tool/README\n");
        var image = new NetbootImage(site, linuximage: new Dictionary<string, string?> { ["exlist"] = "/install/custom/netboot/debian/compute.exlist" }).WithTree();
        image.WriteImageFile("usr/share/doc/other/NEWS", "news\n");

        Assert.Equal(0, image.Pack().ExitCode);

        var names = ArchiveListing.Names(image.Output("rootimg.cpio.gz"));
        Assert.Contains("./usr/share/doc/tool/README", names);
        Assert.Contains("./usr/share/doc", names);
        Assert.Contains("./usr/share/doc/tool", names);
        Assert.DoesNotContain("./usr/share/doc/other/NEWS", names);
        Assert.DoesNotContain(names, n => n.StartsWith("./.statelite", StringComparison.Ordinal));
    }

    [Fact]
    public void Older_archives_are_replaced_only_after_the_new_one_is_complete()
    {
        // Given archives of earlier packs in other formats
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        File.WriteAllText(image.Output("rootimg.tar.xz"), "old");
        File.WriteAllText(image.Output("rootimg.gz"), "legacy");

        var result = image.Pack();

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["rootimg", "rootimg.cpio.gz"], Directory.EnumerateFileSystemEntries(site.Map(image.Directory)).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void With_source_date_epoch_two_packs_are_byte_identical_and_the_uuid_comes_from_the_content()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        var packer = new ImagePacker(site.Site, new CollectingProgress(), new ProcessRunner());
        var options = new PackimageOptions(NetbootImage.Name) { SourceDateEpoch = 1_700_000_000 };

        var first = packer.Run(options);
        var firstBytes = File.ReadAllBytes(first.ArchiveFile);
        File.SetLastWriteTimeUtc(Path.Combine(image.RootImg, "etc/hostname"), DateTime.UtcNow);
        var second = packer.Run(options);

        Assert.Equal(firstBytes, File.ReadAllBytes(second.ArchiveFile));
        Assert.Equal(first.ImageUuid, second.ImageUuid);
        var info = File.ReadAllText(Path.Combine(image.RootImg, "opt/xcat/xcatinfo"));
        Assert.Contains("TIMESTAMP='Tue Nov 14 22:13:20 UTC 2023'", info, StringComparison.Ordinal);

        // And a change of content gives another UUID
        image.WriteImageFile("etc/hostname", "other\n");
        Assert.NotEqual(first.ImageUuid, packer.Run(options).ImageUuid);
    }

    [Fact]
    public void The_command_line_takes_source_date_epoch_from_the_environment_and_refuses_a_bad_one()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        var environment = CliEnvironment.FromProcess().With("SOURCE_DATE_EPOCH", "1700000000");

        Assert.Equal(0, site.Run(environment, "packimage", NetbootImage.Name).ExitCode);
        var first = File.ReadAllBytes(image.Output("rootimg.cpio.gz"));
        Assert.Equal(0, site.Run(environment, "packimage", NetbootImage.Name).ExitCode);

        Assert.Equal(first, File.ReadAllBytes(image.Output("rootimg.cpio.gz")));
        Assert.Contains("TIMESTAMP='Tue Nov 14 22:13:20 UTC 2023'", File.ReadAllText(Path.Combine(image.RootImg, "opt/xcat/xcatinfo")), StringComparison.Ordinal);

        var bad = site.Run(environment.With("SOURCE_DATE_EPOCH", "yesterday"), "packimage", NetbootImage.Name);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("SOURCE_DATE_EPOCH must be a number of seconds since the epoch, not 'yesterday'.", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_source_date_epoch_every_pack_gets_a_new_uuid_as_xcat_tests()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();

        Assert.Equal(0, image.Pack().ExitCode);
        var first = File.ReadAllText(Path.Combine(image.RootImg, "opt/xcat/xcatinfo"));
        Assert.Equal(0, image.Pack().ExitCode);
        var second = File.ReadAllText(Path.Combine(image.RootImg, "opt/xcat/xcatinfo"));

        Assert.StartsWith($"IMAGENAME='{NetbootImage.Name}'\nIMAGEUUID='", first, StringComparison.Ordinal);
        Assert.NotEqual(first.Split('\n')[1], second.Split('\n')[1]);
    }

    [Fact]
    public void Secureroot_locks_roots_password_and_nosyncfiles_skips_the_synclist()
    {
        // Given site.secureroot=1 and a synclist that would add a file (xCAT's cases_secure_protect)
        using var site = new TempSite();
        site.WriteFile("/install/custom/sensitive", "secret\n");
        site.WriteFile("/install/custom/netboot/compute.synclist", "/install/custom/sensitive -> /etc/sensitive.xcattesting\n");
        site.SetRows(s => s.Set(XcatSchema.Site, ["secureroot"], new Dictionary<string, string?> { ["value"] = "1" }));
        var image = new NetbootImage(site, osimage: new Dictionary<string, string?> { ["synclists"] = "/install/custom/netboot/compute.synclist" }).WithTree();

        Assert.Equal(0, image.Pack("--nosyncfiles").ExitCode);

        Assert.StartsWith("root:*:13880:0:99999:7:::\ndaemon:", File.ReadAllText(Path.Combine(image.RootImg, "etc/shadow")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(image.RootImg, "etc/sensitive.xcattesting")));

        // And without --nosyncfiles the synclist is applied and packed
        Assert.Equal(0, image.Pack().ExitCode);
        Assert.Equal("secret\n", File.ReadAllText(Path.Combine(image.RootImg, "etc/sensitive.xcattesting")));
        Assert.Contains("./etc/sensitive.xcattesting", ArchiveListing.Names(image.Output("rootimg.cpio.gz")));
    }

    [Fact]
    public void The_system_password_is_crypted_into_roots_shadow_line()
    {
        using var site = new TempSite();
        site.SetRows(s => s.Set(XcatSchema.Passwd, ["system", "root"], new Dictionary<string, string?> { ["password"] = "s3cret" }));
        var image = new NetbootImage(site).WithTree();

        Assert.Equal(0, image.Pack().ExitCode);

        var root = File.ReadAllLines(Path.Combine(image.RootImg, "etc/shadow"))[0].Split(':');
        Assert.StartsWith("$6$", root[1], StringComparison.Ordinal);
        Assert.Equal("13880", root[2]);
    }

    [Fact]
    public void The_timezone_link_points_at_the_site_zone_and_a_symlinked_etc_stays_inside_the_image()
    {
        // Given site.timezone and an image whose /etc/localtime is an absolute link to the host's file
        using var site = new TempSite();
        site.SetRows(s => s.Set(XcatSchema.Site, ["timezone"], new Dictionary<string, string?> { ["value"] = "UTC" }));
        var image = new NetbootImage(site).WithTree();
        File.CreateSymbolicLink(Path.Combine(image.RootImg, "etc/localtime"), "/etc/localtime");

        Assert.Equal(0, image.Pack().ExitCode);

        Assert.Equal("../usr/share/zoneinfo/UTC", new FileInfo(Path.Combine(image.RootImg, "etc/localtime")).LinkTarget);
    }

    [Fact]
    public void A_second_packimage_on_the_same_directory_gets_xcats_lock_message_naming_the_holder()
    {
        // Given the image directory's lock held through another handle of this process
        using var site = new TempSite();
        var image = new NetbootImage(site).WithTree();
        using var held = SiteLock.ForImageDirectory(site.Site, image.Directory + "/");

        // When packimage runs on it
        var result = image.Pack();

        // Then it is refused with xCAT's message, naming the holder's process id, and packs nothing
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: failed to acquire lock, seems there is another genimage/packimage/rmimage process {Environment.ProcessId} running on root image dir \"{image.Directory}\"\n",
            result.Error);
        Assert.False(File.Exists(image.Output("rootimg.cpio.gz")));
    }

    [Fact]
    public void Bare_packimage_prints_the_usage_and_obsolete_flags_are_refused()
    {
        using var site = new TempSite();

        var usage = site.Run("packimage");
        var obsolete = site.Run("packimage", "-o", "rhels8", "-p", "compute");
        var version = site.Run("packimage", "-v");

        Assert.Equal(0, usage.ExitCode);
        Assert.Contains("packimage [-m| --method=cpio|tar|squashfs]", usage.Output, StringComparison.Ordinal);
        Assert.Equal(1, obsolete.ExitCode);
        Assert.Contains("-o, -p and -a options are obsoleted, please use 'packimage <osimage name>' instead.", obsolete.Error, StringComparison.Ordinal);
        Assert.StartsWith("Version ", version.Output, StringComparison.Ordinal);
    }
}
