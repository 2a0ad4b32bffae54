using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

public sealed class ImportTests
{
    private const string Image = "rhels8.5.0-x86_64-netboot-compute";

    [Fact]
    public void Imgimport_v_prints_each_step_as_it_finishes_and_the_same_lines_as_without()
    {
        // Given a bundle, and one site to import it into quietly and one with -v
        using var quiet = HostileBundleTests.PopulatedSite();
        using var verbose = HostileBundleTests.PopulatedSite();
        var bundle = XcatAssembledBundle.Create(quiet.Scratch, Image, XcatAssembledBundle.NetbootManifest, XcatAssembledBundle.NetbootFiles);

        // When it is imported with and without -v
        var plain = quiet.Run("imgimport", bundle);
        var result = verbose.Run("imgimport", bundle, "-v");

        // Then -v adds one line per step on stderr, in order, each with what it did, and stdout is xCAT's as before
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(plain.Output, result.Output);
        var steps = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("imgimport: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, steps.Count);
        var size = new FileInfo(bundle).Length / 1048576.0;
        Assert.Matches(FormattableString.Invariant($@"^imgimport: unpack done \({size:F1} of {size:F1} MiB\) in \d+\.\d s$"), steps[0]);
        Assert.Matches(@"^imgimport: check done \(1 of 1\) in \d+\.\d s$", steps[1]);
        Assert.Matches(@"^imgimport: plan done \((\d+) of \1\) in \d+\.\d s$", steps[2]);
        Assert.Matches(@"^imgimport: commit done \((\d+) of \1\) in \d+\.\d s$", steps[3]);
        Assert.Equal(steps[2].Split(' ')[3], steps[3].Split(' ')[3]);
        Assert.DoesNotContain("imgimport: ", plain.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bundle_assembled_the_way_xcat_assembles_it_imports_its_rows_and_files()
    {
        // Given a site with a kernel already at the image's place, and a bundle made by XML::Simple and GNU tar
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = XcatAssembledBundle.Create(site.Scratch, Image, XcatAssembledBundle.NetbootManifest, XcatAssembledBundle.NetbootFiles);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then the rows are xCAT's upsert of the manifest, shipped lists land in the custom tree, files are in place,
        // and the kernel that was there is kept as .ORIG
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(
            "Unbundling image...\n" +
            "/install/netboot/rhels8.5.0/x86_64/compute/kernel\n" +
            "  Moving old /install/netboot/rhels8.5.0/x86_64/compute/kernel to /install/netboot/rhels8.5.0/x86_64/compute/kernel.ORIG.\n" +
            "/install/netboot/rhels8.5.0/x86_64/compute/initrd-stateless.gz\n" +
            "/install/netboot/rhels8.5.0/x86_64/compute/rootimg.cpio.gz\n" +
            "/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist\n" +
            "/install/custom/netboot/rh/compute.synclist\n" +
            "/install/custom/netboot/rh/compute.rhels8.x86_64.postinstall\n" +
            "/install/custom/netboot/rh/compute.rhels8.x86_64.exlist\n" +
            "/install/postscripts/mypost\n" +
            "  Moving old /install/postscripts/mypost to /install/postscripts/mypost.ORIG.\n" +
            $"Successfully imported the image {Image}.\n",
            result.Output);
        Assert.Contains(
            $"\"{Image}\",,\"compute\",\"linux\",,\"netboot\",,,,,\"Linux\",\"rhels8.5.0\",\"x86_64\",\"/install/custom/netboot/rh/compute.synclist\",,,,,,,,\n",
            site.Run("tabdump", "osimage").Output,
            StringComparison.Ordinal);
        Assert.Contains(
            $"\"{Image}\",,,,\"/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist\",,,,\"/install/custom/netboot/rh/compute.rhels8.x86_64.exlist\"," +
            "\"/install/custom/netboot/rh/compute.rhels8.x86_64.postinstall\",\"/install/netboot/rhels8.5.0/x86_64/compute\",,,,,,,,,,,,,\n",
            site.Run("tabdump", "linuximage").Output,
            StringComparison.Ordinal);
        Assert.Equal("vmlinuz bytes\n", File.ReadAllText(site.Map("/install/netboot/rhels8.5.0/x86_64/compute/kernel")));
        Assert.Equal("the kernel already here\n", File.ReadAllText(site.Map("/install/netboot/rhels8.5.0/x86_64/compute/kernel.ORIG")));
        Assert.Equal("bash\nopenssh-server\n", File.ReadAllText(site.Map("/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist")));
        Assert.False(File.Exists(site.Map("/opt/xcat/share/xcat/netboot/rh/compute.rhels8.x86_64.pkglist")));
        Assert.Equal("#!/bin/sh\necho mypost\n", File.ReadAllText(site.Map("/install/postscripts/mypost")));
        Assert.Equal("#!/bin/sh\necho old\n", File.ReadAllText(site.Map("/install/postscripts/mypost.ORIG")));
        Assert.Empty(Directory.GetFileSystemEntries(site.Map(StagingArea.LogicalParent)));
        Assert.False(File.Exists(site.Map(ImportJournal.LogicalPath)));
    }

    [Fact]
    public void Import_with_a_new_profile_follows_xcats_rewrite_rules_and_writes_postscripts_per_node()
    {
        // Given an xCAT-assembled bundle and nodes node1, node2 in group compute
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = XcatAssembledBundle.Create(site.Scratch, Image, XcatAssembledBundle.NetbootManifest, XcatAssembledBundle.NetbootFiles);

        // When it is imported as profile compute_test for the group compute and an unknown node
        var result = site.Run("imgimport", bundle, "-f", "compute_test", "-p", "compute,ghost");

        // Then the image is renamed, its files moved as the man page says, and postscripts are written per node with
        // the xcatdefaults scripts taken out; the unknown node is skipped with a warning and, as in xCAT, the exit code is 1
        Assert.True(result.ExitCode == 1, result.Error);
        Assert.DoesNotContain("Error:", result.Error, StringComparison.Ordinal);
        const string NewImage = "rhels8.5.0-x86_64-netboot-compute_test";
        Assert.Contains($"Successfully imported the image {NewImage}.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Adding postscripts.", result.Output, StringComparison.Ordinal);
        Assert.Contains("Warning: The following nodes will be skipped because they are not in the nodelist table.\n  ghost", result.Error, StringComparison.Ordinal);
        var record = site.Site.Database.Find(XcatSchema.OsImage, NewImage);
        Assert.NotNull(record);
        Assert.Equal("compute_test", record["profile"]);
        Assert.Equal("/install/custom/netboot/rh/compute_test.synclist", record["synclists"]);
        var linux = site.Site.Database.Find(XcatSchema.LinuxImage, NewImage)!;
        Assert.Equal("/install/netboot/rhels8.5.0/x86_64/compute_test", linux["rootimgdir"]);
        Assert.Equal("/install/custom/netboot/rh/compute_test.rhels8.x86_64.pkglist", linux["pkglist"]);
        Assert.Equal("/install/custom/netboot/rh/compute_test.rhels8.x86_64.exlist", linux["exlist"]);
        Assert.True(File.Exists(site.Map("/install/netboot/rhels8.5.0/x86_64/compute_test/kernel")));
        Assert.True(File.Exists(site.Map("/install/netboot/rhels8.5.0/x86_64/compute_test/rootimg.cpio.gz")));
        Assert.Equal("bash\nopenssh-server\n", File.ReadAllText(site.Map("/install/custom/netboot/rh/compute_test.rhels8.x86_64.pkglist")));
        Assert.Null(site.Site.Database.Find(XcatSchema.OsImage, Image));
        Assert.Equal("the kernel already here\n", File.ReadAllText(site.Map("/install/netboot/rhels8.5.0/x86_64/compute/kernel")));
        var postscripts = site.Run("tabdump", "postscripts").Output;
        Assert.Contains("\"node1\",\"mypost\",,,\n", postscripts, StringComparison.Ordinal);
        Assert.Contains("\"node2\",\"mypost\",,,\n", postscripts, StringComparison.Ordinal);
        Assert.DoesNotContain("\"compute\"", postscripts, StringComparison.Ordinal);
    }

    [Fact]
    public void A_plain_tar_imports_with_nozip()
    {
        // Given an xCAT-assembled bundle written with tar cf
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = XcatAssembledBundle.Create(site.Scratch, Image, XcatAssembledBundle.NetbootManifest, XcatAssembledBundle.NetbootFiles, compressed: false);

        // When it is imported with -n
        var result = site.Run("imgimport", "-n", bundle);

        // Then its rows and files are in place, as from the gzip'd bundle
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Successfully imported the image {Image}.", result.Output, StringComparison.Ordinal);
        Assert.Equal("netboot", site.Site.Database.Find(XcatSchema.OsImage, Image)?["provmethod"]);
        Assert.Equal("/install/netboot/rhels8.5.0/x86_64/compute", site.Site.Database.Find(XcatSchema.LinuxImage, Image)?["rootimgdir"]);
        Assert.Equal("vmlinuz bytes\n", File.ReadAllText(site.Map("/install/netboot/rhels8.5.0/x86_64/compute/kernel")));
        Assert.Equal("bash\nopenssh-server\n", File.ReadAllText(site.Map("/install/custom/netboot/rh/compute.rhels8.x86_64.pkglist")));
        Assert.Equal("#!/bin/sh\necho mypost\n", File.ReadAllText(site.Map("/install/postscripts/mypost")));
    }

    [Fact]
    public void A_destination_reached_through_a_link_that_leads_out_of_the_site_is_refused()
    {
        // Given a site whose /install/postscripts is a symbolic link to a directory outside the site
        using var site = new TempSite();
        var outside = Directory.CreateDirectory(Path.Combine(site.Scratch, "outside")).FullName;
        Directory.CreateDirectory(site.Map("/install"));
        File.CreateSymbolicLink(site.Map("/install/postscripts"), outside);
        var before = SiteSnapshot.Take(site);
        var bundle = TestBundle.Netboot().WriteTo(site.Scratch);

        // When a bundle with an extra for /install/postscripts is imported
        var result = site.Run("imgimport", bundle);

        // Then it is refused, naming the link, and nothing was written outside the site
        Assert.NotEqual(0, result.ExitCode);
        HostileBundleTests.AssertRefusedCleanly(
            $"The extra /install/postscripts/mypost of image '{Image}' would be written through the symbolic link /install/postscripts, which leads out of the site.", result);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_file_whose_destination_is_a_directory_is_refused_before_anything_moves()
    {
        // Given a site where a directory stands at the place of the bundle's postscript
        using var site = HostileBundleTests.PopulatedSite();
        File.Delete(site.Map("/install/postscripts/mypost"));
        site.WriteFile("/install/postscripts/mypost/inside", "a directory's content\n");
        var before = SiteSnapshot.Take(site);
        var bundle = TestBundle.Netboot().WriteTo(site.Scratch);

        // When the bundle is imported
        var result = site.Run("imgimport", bundle);

        // Then it is refused, naming the file, and the directory is as it was
        Assert.NotEqual(0, result.ExitCode);
        HostileBundleTests.AssertRefusedCleanly($"The extra /install/postscripts/mypost of image '{Image}' would replace a directory.", result);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void Required_fields_are_stored_trimmed_as_xcat_reads_them()
    {
        // Given a manifest whose name and profile carry surrounding whitespace
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = TestBundle.Netboot(change: m =>
        {
            m.OsImage["imagename"] = $"  {Image}\n";
            m.LinuxImage["imagename"] = $" {Image} ";
            m.OsImage["profile"] = " compute ";
        }).WriteTo(site.Scratch);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then the row is stored under the trimmed name, with the trimmed profile
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Successfully imported the image {Image}.\n", result.Output, StringComparison.Ordinal);
        Assert.Equal("compute", site.Site.Database.Find(XcatSchema.OsImage, Image)?["profile"]);
        Assert.NotNull(site.Site.Database.Find(XcatSchema.LinuxImage, Image));
    }

    [Fact]
    public void A_bundle_with_several_images_sharing_a_list_imports_them_all()
    {
        // Given two image directories in one bundle that both ship the same pkglist
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = TestBundle.Netboot("a", imageName: "img-a", change: m => SeparateRoot(m, "a"));
        var second = TestBundle.Netboot("b", imageName: "img-b", change: m => SeparateRoot(m, "b"));
        var path = Path.Combine(site.Scratch, "two.tar");
        File.WriteAllBytes(path, [.. bundle.Tar()[..^1024], .. second.Without("./").Tar()]);

        // When it is imported
        var result = site.Run("imgimport", "-n", path);

        // Then both images are defined
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("Successfully imported the image img-a.\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("Successfully imported the image img-b.\n", result.Output, StringComparison.Ordinal);
        Assert.Equal("/install/netboot/b/kernel", site.Site.Database.Find(XcatSchema.LinuxImage, "img-b")!["rootimgdir"] + "/kernel");
        Assert.True(File.Exists(site.Map("/install/netboot/a/kernel")));
    }

    [Fact]
    public void Two_images_that_would_write_different_content_to_one_path_are_refused()
    {
        // Given two images whose kernels land at the same place with different content
        using var site = HostileBundleTests.PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var path = Path.Combine(site.Scratch, "two.tar");
        File.WriteAllBytes(path, [.. TestBundle.Netboot("a", imageName: "img-a").Tar()[..^1024], .. TestBundle.Netboot("b", imageName: "img-b").Without("./").Tar()]);

        // When it is imported
        var result = site.Run("imgimport", "-n", path);

        // Then it is refused, naming the path, and nothing changed
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Two different files of the bundle would land at {TestBundle.RootImgDir}/kernel: a/kernel and b/kernel.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_flat_xcat_2_7_manifest_imports()
    {
        // Given a bundle whose manifest has every column directly under <xcatimage> (generate_img.rst's format)
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = XcatAssembledBundle.Create(site.Scratch, "flat", """
            {
              imagename => 'sles11-x86_64-netboot-compute', profile => 'compute', osvers => 'sles11', osarch => 'x86_64',
              provmethod => 'netboot', imagetype => 'linux', pkglist => '/install/custom/netboot/sles/compute.pkglist',
              rootimgdir => '/install/netboot/sles11/x86_64/compute',
              kernel => '/install/netboot/sles11/x86_64/compute/kernel',
              ramdisk => '/install/netboot/sles11/x86_64/compute/initrd-stateless.gz',
              rootimg => '/install/netboot/sles11/x86_64/compute/rootimg.cpio.gz',
            }
            """,
            new Dictionary<string, string> { ["kernel"] = "k", ["initrd-stateless.gz"] = "i", ["rootimg.cpio.gz"] = "r", ["compute.pkglist"] = "p" });

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then the columns are split between osimage and linuximage as manifest_adapter does
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("/install/custom/netboot/sles/compute.pkglist", site.Site.Database.Find(XcatSchema.LinuxImage, "sles11-x86_64-netboot-compute")!["pkglist"]);
        Assert.Equal("sles11", site.Site.Database.Find(XcatSchema.OsImage, "sles11-x86_64-netboot-compute")!["osvers"]);
        Assert.Equal("p", File.ReadAllText(site.Map("/install/custom/netboot/sles/compute.pkglist")));
    }

    [Fact]
    public void Several_extras_files_and_a_directory_are_put_in_place()
    {
        // Given a bundle with two file extras and a directory extra (xCAT copies its content with cp -a, dotfiles aside)
        using var site = HostileBundleTests.PopulatedSite();
        site.WriteFile("/install/postscripts/tree/old", "kept\n");
        site.WriteFile("/install/postscripts/tree/a", "replaced\n");
        var bundle = TestBundle.Netboot(change: m =>
            {
                m.Extras.Add(new ManifestExtra("/install/postscripts/second", "/install/postscripts"));
                m.Extras.Add(new ManifestExtra("/srv/tree", "/install/postscripts/tree"));
            })
            .Directory("./img/extra/srv/").Directory("./img/extra/srv/tree/")
            .File("./img/extra/srv/tree/a", "new a\n").Directory("./img/extra/srv/tree/sub/").File("./img/extra/srv/tree/sub/b", "new b\n")
            .Symlink("./img/extra/srv/tree/sub/link", "b").File("./img/extra/srv/tree/.hidden", "skipped\n")
            .HardLink("./img/extra/srv/tree/sub/same-as-a", "./img/extra/srv/tree/a")
            .WriteTo(site.Scratch);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then every extra is in place, the directory merged over the old one
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(File.Exists(site.Map("/install/postscripts/second")));
        Assert.Equal("new a\n", File.ReadAllText(site.Map("/install/postscripts/tree/a")));
        Assert.Equal("kept\n", File.ReadAllText(site.Map("/install/postscripts/tree/old")));
        Assert.Equal("new b\n", File.ReadAllText(site.Map("/install/postscripts/tree/sub/b")));
        Assert.Equal("b", new FileInfo(site.Map("/install/postscripts/tree/sub/link")).LinkTarget);
        Assert.Equal("new a\n", File.ReadAllText(site.Map("/install/postscripts/tree/sub/same-as-a")));
        Assert.False(File.Exists(site.Map("/install/postscripts/tree/.hidden")));
        Assert.False(File.Exists(site.Map("/install/postscripts/tree/a.ORIG")));
        Assert.Empty(Directory.GetFiles(site.Map("/install/postscripts/tree"), ".*"));
    }

    [Fact]
    public void An_older_design_bundle_with_manifest_cfg_is_placed_where_that_design_says()
    {
        // Given a bundle with a top-level manifest.cfg and its files beside it
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = new TestBundle().Directory("./")
            .File("./manifest.cfg", "name centos7-x86_64-netboot-compute\nos centos7\narch x86_64\nprofile compute\nmethod netboot\n" +
                "initrd initrd-stateless.gz\nkernel kernel\nrootimg rootimg.gz\ntemplate compute.tmpl\nextra hosts.extra:/install/postscripts\n")
            .File("./initrd-stateless.gz", "i").File("./kernel", "k").File("./rootimg.gz", "r").File("./compute.tmpl", "t").File("./hosts.extra", "h")
            .WriteTo(site.Scratch);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then the boot files are in <installdir>/netboot/<os>/<arch>/<profile>/ and the template in custom/
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("k", File.ReadAllText(site.Map("/install/netboot/centos7/x86_64/compute/kernel")));
        Assert.Equal("r", File.ReadAllText(site.Map("/install/netboot/centos7/x86_64/compute/rootimg.gz")));
        Assert.Equal("t", File.ReadAllText(site.Map("/install/custom/centos7/x86_64/compute.tmpl")));
        Assert.Equal("h", File.ReadAllText(site.Map("/install/postscripts/hosts.extra")));
        var linux = site.Site.Database.Find(XcatSchema.LinuxImage, "centos7-x86_64-netboot-compute")!;
        Assert.Equal("/install/custom/centos7/x86_64/compute.tmpl", linux["template"]);
        Assert.Equal("/install/netboot/centos7/x86_64/compute", linux["rootimgdir"]);
        Assert.Equal("netboot", site.Site.Database.Find(XcatSchema.OsImage, "centos7-x86_64-netboot-compute")!["provmethod"]);
    }

    [Fact]
    public void An_install_image_imports_once_its_media_is_copied()
    {
        // Given an install image that requires media, and the media directory present
        using var site = HostileBundleTests.PopulatedSite();
        Directory.CreateDirectory(site.Map("/install/rhels8.5.0/x86_64"));
        var bundle = TestBundle.Netboot(imageName: "rhels8.5.0-x86_64-install-compute", change: m =>
        {
            m.OsImage["provmethod"] = "install";
            m.LinuxImage["template"] = "/opt/xcat/share/xcat/install/rh/compute.rhels8.tmpl";
            m.Media = ImageManifest.MediaRequired;
        }).File("./img/compute.rhels8.tmpl", "kickstart\n").WriteTo(site.Scratch);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then the template lands in the custom tree and the row points there
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("kickstart\n", File.ReadAllText(site.Map("/install/custom/install/rh/compute.rhels8.tmpl")));
        Assert.Equal("/install/custom/install/rh/compute.rhels8.tmpl", site.Site.Database.Find(XcatSchema.LinuxImage, "rhels8.5.0-x86_64-install-compute")!["template"]);
    }

    [Fact]
    public void Verify_only_checks_a_good_bundle_and_changes_nothing()
    {
        // Given a good bundle with a checksum list
        using var site = HostileBundleTests.PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var bundle = TestBundle.Netboot(checksums: true).WriteTo(site.Scratch);

        // When it is verified with checksums required
        var result = site.Run("imgimport", bundle, "--verify-only", "--require-checksums");

        // Then it is reported valid and the site is untouched
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"The image {Image} in {bundle} is valid and can be imported.", result.Output, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_bundle_whose_checksums_match_imports_with_checksums_required()
    {
        // Given a bundle with a checksum list over every file
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = TestBundle.Netboot(checksums: true).WriteTo(site.Scratch);

        // When it is imported requiring checksums
        var result = site.Run("imgimport", bundle, "--require-checksums");

        // Then it is imported
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.NotNull(site.Site.Database.Find(XcatSchema.OsImage, Image));
    }

    [Fact]
    public void An_existing_orig_backup_is_replaced_by_the_file_the_import_replaces()
    {
        // Given a kernel and a kernel.ORIG from an earlier import
        using var site = HostileBundleTests.PopulatedSite();
        site.WriteFile($"{TestBundle.RootImgDir}/kernel.ORIG", "the oldest kernel\n");
        var bundle = TestBundle.Netboot().WriteTo(site.Scratch);

        // When the bundle is imported
        var result = site.Run("imgimport", bundle);

        // Then, as in xCAT, the current kernel becomes kernel.ORIG and the oldest one is gone
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("the kernel already here\n", File.ReadAllText(site.Map($"{TestBundle.RootImgDir}/kernel.ORIG")));
        Assert.Empty(Directory.GetFiles(site.Map(TestBundle.RootImgDir), ".*"));
    }

    [Fact]
    public void Allow_path_lets_a_bundle_write_under_another_prefix()
    {
        // Given a bundle that puts its exlist under /srv/lists
        using var site = HostileBundleTests.PopulatedSite();
        var bundle = TestBundle.Netboot(change: m => m.LinuxImage["exlist"] = "/srv/lists/compute.exlist")
            .File("./img/compute.exlist", "./usr/share/doc*\n").WriteTo(site.Scratch);

        // When it is imported with --allow-path /srv
        var result = site.Run("imgimport", bundle, "--allow-path", "/srv");

        // Then the file lands there, inside the site
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("./usr/share/doc*\n", File.ReadAllText(site.Map("/srv/lists/compute.exlist")));
    }

    [Fact]
    public void A_second_import_of_the_same_image_at_once_gets_a_clear_lock_error()
    {
        // Given an import of the image in progress (its lock held)
        using var site = HostileBundleTests.PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var bundle = TestBundle.Netboot().WriteTo(site.Scratch);
        using var running = SiteLock.ForImport(site.Site, Image);

        // When a second import of it starts
        var result = site.Run("imgimport", bundle);

        // Then it fails at once, saying why, and changes nothing
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error: Another imgimport of the image '{Image}' is running (process {Environment.ProcessId}); wait for it to finish and try again.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_failure_while_moving_files_rolls_back_what_was_moved()
    {
        // Given a bundle whose last file's destination turns out to be a directory in the way
        using var site = HostileBundleTests.PopulatedSite();
        Directory.CreateDirectory(site.Map("/install/postscripts/mypost.ORIG"));
        File.WriteAllText(site.Map("/install/postscripts/mypost.ORIG/inside"), "blocks the backup\n");
        var before = SiteSnapshot.Take(site);
        var bundle = TestBundle.Netboot().WriteTo(site.Scratch);

        // When it is imported
        var result = site.Run("imgimport", bundle);

        // Then it fails and every file already moved is back where it was
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"Error: Failed to put the files of {Image} in place: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("The import was rolled back; nothing changed.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
        Assert.False(File.Exists(site.Map(ImportJournal.LogicalPath)));
    }

    [Fact]
    public void Imgimport_h_prints_xcats_usage()
    {
        using var site = new TempSite();

        var result = site.Run("imgimport", "-h");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\timgimport <bundle_file_name> [-p|--postscripts <nodelist>] [-f|--profile <new_profile>] [-R|--remotehost <userid@host>] [-n|--nozip] [-v]", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Imgimport_without_a_bundle_prints_xcats_usage_and_fails()
    {
        using var site = new TempSite();

        var result = site.Run("imgimport");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("imgimport: Takes in an xCAT image bundle and defines it to xCAT so you can use it\nUsage: \n", result.Output, StringComparison.Ordinal);
    }

    private static void SeparateRoot(ImageManifest manifest, string name)
    {
        manifest.LinuxImage["rootimgdir"] = $"/install/netboot/{name}";
        manifest.Kernel = $"/install/netboot/{name}/kernel";
        manifest.Ramdisk = $"/install/netboot/{name}/initrd-stateless.gz";
        manifest.RootImg = $"/install/netboot/{name}/rootimg.cpio.gz";
        manifest.Extras.Clear();
    }
}
