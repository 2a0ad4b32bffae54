using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Processes;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

public sealed class ImgexportTests : IDisposable
{
    private readonly ExportFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public void A_netboot_export_prints_xcats_messages_and_writes_the_bundle_in_the_working_directory()
    {
        // Given a packed netboot image
        _fixture.AddNetbootImage();

        // When it is exported without a destination
        var result = _fixture.Export(ExportFixture.Netboot);

        // Then xCAT's lines are printed in xCAT's order and <image>.tgz is in the working directory
        Assert.Equal(string.Empty, result.Error);
        Assert.Equal(0, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"Exporting {ExportFixture.Netboot} to {_fixture.Output}...", lines[0]);
        Assert.Equal(
            [
                ExportFixture.RootImgDir + "/kernel", ExportFixture.RootImgDir + "/initrd-stateless.gz", ExportFixture.RootImgDir + "/rootimg.cpio.gz",
                ExportFixture.Pkglist, "/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.exlist",
            ],
            lines[1..6]);
        Assert.Matches(@"^Inside .*/tmp/imgexport\.\d+\.\w{6}\.$", lines[6]);
        Assert.Equal($"Compressing {ExportFixture.Netboot} bundle.  Please be patient.", lines[7]);
        Assert.Equal("Done!", lines[8]);
        Assert.Equal(9, lines.Length);
        Assert.True(File.Exists(Path.Combine(_fixture.Output, ExportFixture.Netboot + ".tgz")));
        Assert.Empty(Directory.GetDirectories(_fixture.Site.Map("/tmp")));
    }

    [Fact]
    public void Real_tar_lists_the_members_flat_by_basename_owned_by_root_and_gzip_accepts_the_bundle()
    {
        // Given an exported netboot image with an extra file and directory
        _fixture.AddNetbootImage();
        _fixture.Site.WriteFile("/install/postscripts/myscript1", "echo hi\n");
        _fixture.Site.WriteFile("/install/custom/files/a.conf", "a\n");
        _fixture.Site.WriteFile("/install/custom/files/sub/b.conf", "b\n");
        _fixture.Site.WriteFile("/install/custom/files/.hidden", "h\n");
        var result = _fixture.Export(ExportFixture.Netboot, "out/foo.tgz", "-e", "/install/postscripts/myscript1", "-e", "/install/custom/files");
        Assert.Equal(0, result.ExitCode);
        var bundle = Path.Combine(_fixture.Output, "foo.tgz");

        // When gzip tests it and tar lists it
        Run("gzip", "-t", bundle);
        var listing = Run("tar", "-tzvf", bundle).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Then the members are xCAT's layout, owned by root/root, in order, with SHA256SUMS last
        var img = $"./{ExportFixture.Netboot}/";
        Assert.Equal(
            [
                "./", img, img + "manifest.xml", img + "compute.rhels8.x86_64.exlist", img + "compute.rhels8.x86_64.pkglist",
                img + "initrd-stateless.gz", img + "kernel", img + "rootimg.cpio.gz", img + "extra/", img + "extra/install/",
                img + "extra/install/custom/", img + "extra/install/custom/files/", img + "extra/install/custom/files/a.conf",
                img + "extra/install/custom/files/sub/", img + "extra/install/custom/files/sub/b.conf", img + "extra/myscript1",
                img + "SHA256SUMS",
            ],
            listing.Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[5]));
        Assert.All(listing, l => Assert.Contains(" root/root ", l, StringComparison.Ordinal));
        Assert.StartsWith("drwxr-xr-x", listing[1], StringComparison.Ordinal);
        Assert.StartsWith("-rw-r--r--", listing[2], StringComparison.Ordinal);
    }

    [Fact]
    public void The_extracted_bundle_passes_sha256sum_check_and_holds_the_original_bytes()
    {
        _fixture.AddNetbootImage();
        _fixture.Site.WriteFile("/install/postscripts/myscript1", "echo hi\n");
        Assert.Equal(0, _fixture.Export(ExportFixture.Netboot, "-e", "/install/postscripts/myscript1").ExitCode);
        var extracted = Directory.CreateDirectory(Path.Combine(_fixture.Output, "x")).FullName;

        Run("tar", "xzf", Path.Combine(_fixture.Output, ExportFixture.Netboot + ".tgz"), "-C", extracted);
        var imageDirectory = Path.Combine(extracted, ExportFixture.Netboot);
        var check = new ProcessRunner().Run(new ToolCommand("sha256sum", ["-c", "SHA256SUMS"]) { WorkingDirectory = imageDirectory });

        Assert.Equal(7, check.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("FAILED", check.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(_fixture.Site.Map(ExportFixture.RootImgDir + "/rootimg.cpio.gz")), File.ReadAllBytes(Path.Combine(imageDirectory, "rootimg.cpio.gz")));
        Assert.Equal("echo hi\n", File.ReadAllText(Path.Combine(imageDirectory, "extra", "myscript1")));
    }

    [Fact]
    public void The_netboot_manifest_with_extra_and_postscripts_matches_the_golden_file()
    {
        // Given a node in a group whose postscripts row adds a script
        _fixture.AddNetbootImage();
        _fixture.Site.WriteFile("/install/postscripts/myscript1", "echo hi\n");
        _fixture.Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.NodeList, ["cn1"], new Dictionary<string, string?> { ["groups"] = "compute,all" });
            s.Set(XcatSchema.Postscripts, ["compute"], new Dictionary<string, string?> { ["postscripts"] = "mypost" });
            return 0;
        });

        // When it is exported with -p and -e
        var result = _fixture.Export(ExportFixture.Netboot, "foo.tgz", "-p", "cn1", "-e", "/install/postscripts/myscript1");

        // Then the manifest carries xcatdefaults' lists followed by the group's, and the extra
        Assert.Equal(0, result.ExitCode);
        Testing.Golden.Check("export-netboot-p-e.manifest.xml", ExtractManifest("foo.tgz"));
    }

    [Fact]
    public void A_statelite_export_packs_the_root_tree_as_newc_cpio_and_writes_litefile_csv()
    {
        _fixture.AddStateliteImage();

        var result = _fixture.Export(ExportFixture.Statelite);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Packing root image. It will take a while\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("Getting litefile settings\n", result.Output, StringComparison.Ordinal);
        Testing.Golden.Check("export-statelite.manifest.xml", ExtractManifest(ExportFixture.Statelite + ".tgz"));
        var imageDirectory = Extract(ExportFixture.Statelite + ".tgz");
        Assert.Equal(
            $"\"{ExportFixture.Statelite}\",\"/etc/adjtime\",\"tmpfs\",,\n\"{ExportFixture.Statelite}\",\"/var/log/\",\"persistent\",,\n\"{ExportFixture.Statelite}\",\"/etc/ntp.conf\",\"rw\",,\n",
            File.ReadAllText(Path.Combine(imageDirectory, "litefile.csv")));
        var cpioList = new ProcessRunner().Run(new ToolCommand("sh", ["-c", "zcat rootimgtree.gz | cpio -t --quiet"]) { WorkingDirectory = imageDirectory });
        Assert.Equal("rootimg\nrootimg/etc\nrootimg/etc/hostname\nrootimg/usr\nrootimg/usr/bin\nrootimg/usr/bin/tool\n", cpioList.StandardOutput);
    }

    [Fact]
    public void An_install_export_finds_the_template_prints_it_and_requires_media()
    {
        _fixture.AddInstallImage();

        var result = _fixture.Export(ExportFixture.Install);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\n/opt/xcat/share/xcat/install/rh/compute.rhels8.5.0.tmpl\n", result.Output, StringComparison.Ordinal);
        Testing.Golden.Check("export-install.manifest.xml", ExtractManifest(ExportFixture.Install + ".tgz"));
    }

    [Fact]
    public void A_missing_list_file_is_skipped_with_xcats_error_and_exit_code_1_but_the_bundle_is_written()
    {
        _fixture.AddNetbootImage();
        File.Delete(_fixture.Site.Map(ExportFixture.Pkglist));

        var result = _fixture.Export(ExportFixture.Netboot);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: Couldn't find file {ExportFixture.Pkglist} for {ExportFixture.Netboot}. Skip.\n", result.Error);
        Assert.EndsWith("Done!\n", result.Output, StringComparison.Ordinal);
        Assert.Contains($"<pkglist>{ExportFixture.Pkglist}</pkglist>", ExtractManifest(ExportFixture.Netboot + ".tgz"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_missing_osimage_field_is_reported_and_nothing_is_written()
    {
        _fixture.Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.OsImage, ["bare"], new Dictionary<string, string?> { ["imagetype"] = "linux" });
            return 0;
        });

        var result = _fixture.Export("bare");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error: The 'provmethod' field is not set for 'bare' in the osimage table.\n" +
            "Error: The 'profile' field is not set for 'bare' in the osimage table.\n" +
            "Error: The 'osvers' field is not set for 'bare' in the osimage table.\n" +
            "Error: The 'osarch' field is not set for 'bare' in the osimage table.\n" +
            "Error: Exporting images with 'provemethod'  is not supported. Hint: install, netboot, statelite, or raw\n",
            result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_fixture.Output));
    }

    [Fact]
    public void An_unknown_image_and_missing_netboot_files_give_xcats_messages()
    {
        Assert.Equal("Error: Cannot find image 'nope' from the osimage table.\n", _fixture.Export("nope").Error);

        _fixture.SetImage(ExportFixture.Netboot, "netboot", new() { ["rootimgdir"] = ExportFixture.RootImgDir, ["pkglist"] = ExportFixture.Pkglist });
        var result = _fixture.Export(ExportFixture.Netboot);

        Assert.Equal(
            $"Error: Couldn't find ramdisk (initrd-stateless.gz) for  {ExportFixture.Netboot}\n" +
            $"Error: Couldn't find kernel (kernel) for  {ExportFixture.Netboot}\n" +
            $"Error: Couldn't find compressed rootimg for {ExportFixture.Netboot}\n",
            result.Error);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Two_files_with_the_same_name_are_refused_naming_both_paths_and_no_bundle_is_written()
    {
        // Given an image whose pkglist and otherpkglist live in different directories under the same name
        _fixture.AddNetbootImage();
        _fixture.Site.WriteFile("/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist", "vim\n");
        _fixture.Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.LinuxImage, [ExportFixture.Netboot], new Dictionary<string, string?> { ["otherpkglist"] = "/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist" });
            return 0;
        });
        File.WriteAllText(Path.Combine(_fixture.Output, ExportFixture.Netboot + ".tgz"), "older bundle");

        // When it is exported
        var result = _fixture.Export(ExportFixture.Netboot);

        // Then both paths are named, and the older bundle is untouched
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"Error: {ExportFixture.Pkglist} and /install/custom/netboot/rh/compute.rhels8.x86_64.pkglist would both be stored as 'compute.rhels8.x86_64.pkglist' in the bundle",
            result.Error,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Done!", result.Output, StringComparison.Ordinal);
        Assert.Equal("older bundle", File.ReadAllText(Path.Combine(_fixture.Output, ExportFixture.Netboot + ".tgz")));
        Assert.Single(Directory.GetFileSystemEntries(_fixture.Output));
    }

    [Fact]
    public void A_missing_extra_is_ignored_with_xcats_error_and_exit_code_1()
    {
        _fixture.AddNetbootImage();

        var result = _fixture.Export(ExportFixture.Netboot, "-e", "/install/nothing/here");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Can not find Extra file /install/nothing/here.  Argument will be ignored\n", result.Error);
        Assert.DoesNotContain("<extra>", ExtractManifest(ExportFixture.Netboot + ".tgz"), StringComparison.Ordinal);
    }

    [Fact]
    public void Postscripts_of_an_unknown_node_stop_the_export_with_xcats_message()
    {
        _fixture.AddNetbootImage();

        var result = _fixture.Export(ExportFixture.Netboot, "-p", "ghost");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Unable to get postscripts, ghost is not a valide node.\n", result.Error);
        Assert.Empty(Directory.GetFileSystemEntries(_fixture.Output));
    }

    [Fact]
    public void An_s390x_raw_image_carries_every_img_file_of_its_directory()
    {
        _fixture.Site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.OsImage, ["sles-raw"], new Dictionary<string, string?>
            {
                ["profile"] = "compute",
                ["provmethod"] = "raw",
                ["osvers"] = "sles15.4",
                ["osarch"] = "s390x",
            });
            s.Set(XcatSchema.LinuxImage, ["sles-raw"], new Dictionary<string, string?> { ["comments"] = "raw" });
            return 0;
        });
        _fixture.WriteBytes("/install/raw/sles15.4/s390x/compute/disk1.img", 1000, 1);
        _fixture.WriteBytes("/install/raw/sles15.4/s390x/compute/disk0.img", 1000, 2);
        _fixture.Site.WriteFile("/install/raw/sles15.4/s390x/compute/notes.txt", "not an image");

        var result = _fixture.Export("sles-raw");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(
            "  <rawimagefiles>\n    <files>/install/raw/sles15.4/s390x/compute/disk0.img</files>\n    <files>/install/raw/sles15.4/s390x/compute/disk1.img</files>\n  </rawimagefiles>\n",
            ExtractManifest("sles-raw.tgz"),
            StringComparison.Ordinal);
        var members = Run("tar", "-tzf", Path.Combine(_fixture.Output, "sles-raw.tgz"));
        Assert.Contains("./sles-raw/disk0.img\n", members, StringComparison.Ordinal);
        Assert.DoesNotContain("notes.txt", members, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_exports_with_source_date_epoch_are_byte_identical()
    {
        // Given a netboot image with an extra directory
        _fixture.AddNetbootImage();
        _fixture.Site.WriteFile("/install/custom/files/a.conf", "a\n");

        // When it is exported twice under the same SOURCE_DATE_EPOCH, a second apart
        var first = ExportWithEpoch("one.tgz");
        Thread.Sleep(1100);
        File.SetLastWriteTimeUtc(_fixture.Site.Map("/install/custom/files/a.conf"), DateTime.UtcNow);
        var second = ExportWithEpoch("two.tgz");

        // Then the bundles are the same bytes, and every member carries that time
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
        var listing = Run("tar", "--utc", "-tzvf", first);
        Assert.All(listing.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => Assert.Contains(" 2023-11-14 22:13 ", l, StringComparison.Ordinal));
    }

    [Fact]
    public void Remote_export_is_refused_with_a_clear_error()
    {
        _fixture.AddNetbootImage();

        var result = _fixture.Export(ExportFixture.Netboot, "-R", "root@elsewhere");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Exporting {ExportFixture.Netboot} to root@elsewhere...", result.Output, StringComparison.Ordinal);
        Assert.Contains("Error: Exporting to a remote host (root@elsewhere) is not supported.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_is_xcats_text_with_exit_code_0_for_h_and_1_without_arguments()
    {
        var help = _fixture.Site.Run("imgexport", "-h");
        var none = _fixture.Site.Run("imgexport");

        Assert.Equal(0, help.ExitCode);
        Assert.StartsWith("imgexport: Creates a tarball (bundle) of an existing xCAT image\nUsage: \n\timgexport [-h|--help]\n", help.Output, StringComparison.Ordinal);
        Assert.Equal(1, none.ExitCode);
        Assert.Equal(help.Output, none.Output);
    }

    [Fact]
    public void Options_without_an_image_name_fail_the_lookup_of_an_empty_name_as_xcat_does()
    {
        var result = _fixture.Export("-v");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Exporting  to {_fixture.Output}...\n", result.Output, StringComparison.Ordinal);
        Assert.Equal("Error: Cannot find image '' from the osimage table.\n", result.Error);
    }

    private string ExportWithEpoch(string name)
    {
        var result = new Exporter(_fixture.Site.Site, new CollectingProgress()).Run(new ExportOptions
        {
            ImageName = ExportFixture.Netboot,
            Destination = name,
            WorkingDirectory = _fixture.Output,
            Extras = ["/install/custom/files"],
            SourceDateEpoch = 1_700_000_000,
        });
        Assert.Empty(result.Skipped);
        return result.BundlePath;
    }

    private string ExtractManifest(string bundle) =>
        Run("tar", "-xzOf", Path.Combine(_fixture.Output, bundle), "--wildcards", "*/manifest.xml");

    private string Extract(string bundle)
    {
        var target = Directory.CreateTempSubdirectory("extract-").FullName;
        Run("tar", "xzf", Path.Combine(_fixture.Output, bundle), "-C", target);
        return Directory.GetDirectories(target).Single();
    }

    private static string Run(string tool, params string[] arguments) => new ProcessRunner().Run(new ToolCommand(tool, arguments)).StandardOutput;
}
