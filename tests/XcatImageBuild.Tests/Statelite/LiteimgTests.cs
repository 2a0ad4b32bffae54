using XcatImageBuild.Testing;
using XcatImageBuild.Tests.Packimage;

namespace XcatImageBuild.Tests.Statelite;

/// <summary>
/// liteimg's layout of a root for each litefile option, its reruns, and its refusals. Regenerate the golden trees with
/// <c>XCATIMG_UPDATE_GOLDEN=1 dotnet test --filter FullyQualifiedName~LiteimgTests</c> and review Golden/Statelite.
/// </summary>
public sealed class LiteimgTests
{
    [Theory]
    [InlineData("link")]
    [InlineData("link,ro")]
    [InlineData("link,persistent")]
    [InlineData("link,con")]
    [InlineData("tmpfs")]
    [InlineData("tmpfs,rw")]
    [InlineData("persistent")]
    [InlineData("localdisk")]
    [InlineData("rw")]
    [InlineData("ro")]
    [InlineData("con")]
    [InlineData("")]
    public void Each_option_lays_out_the_root_as_the_golden_tree(string option)
    {
        // Given a statelite root and entries with this option: a file, a file the image lacks, and (but for con) a directory
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        var entries = new List<(string, string)> { ("/etc/ntp.conf", option), ("/etc/missing.conf", option), ("/topfile", option) };
        if (!option.Contains("con", StringComparison.Ordinal))
        {
            entries.Add(("/var/cache/app/", option));
        }

        image.LiteFiles([.. entries]);

        // When liteimg runs
        var result = image.Lite();

        // Then its lines are xCAT's and the root holds exactly the golden layout and litefile.save
        Assert.True(result.ExitCode == 0, result.Error);
        var root = $"{image.Directory}/rootimg";
        Assert.Equal([$"Modifying {root} ...", $"creating {root}/.statelite", $"Modifying {root} done."], result.Output.TrimEnd('\n').Split('\n'));
        var name = option.Length == 0 ? "blank" : option.Replace(',', '-');
        Golden.Check($"Statelite/{name}.tree", image.Tree());
    }

    [Fact]
    public void A_linked_file_reads_as_the_images_file_through_both_links()
    {
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        image.LiteFiles(("/etc/ntp.conf", "link"), ("/root/", "link"), ("/root/.bashrc", "link,persistent"));

        Assert.Equal(0, image.Lite().ExitCode);

        // The node sees /etc/ntp.conf through /.statelite/tmpfs; with nothing mounted there yet it is the image's file.
        Assert.Equal("server 10.0.0.1\n", File.ReadAllText(Path.Combine(image.RootImg, "etc/ntp.conf")));
        Assert.Equal("../.statelite/tmpfs/etc/ntp.conf", new FileInfo(Path.Combine(image.RootImg, "etc/ntp.conf")).LinkTarget);
        Assert.Equal("../../../.default/etc/ntp.conf", new FileInfo(Path.Combine(image.RootImg, ".statelite/tmpfs/etc/ntp.conf")).LinkTarget);
        Assert.Equal("boot\n", File.ReadAllText(Path.Combine(image.RootImg, "root/notes/todo")));
        Assert.Equal("alias ll='ls -l'\n", File.ReadAllText(Path.Combine(image.RootImg, ".default/root/.bashrc")));
    }

    [Fact]
    public void Litefile_save_holds_ilitefiles_lines_with_image_all_and_group_rows_merged()
    {
        // Given rows for ALL, for the image's group and for the image, one file in two of them
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        site.Run("chdef", "-t", "osimage", "-o", StateliteImage.Name, "groups=lite");
        image.LiteFiles("ALL", ("/etc/hosts", "tmpfs"), ("/etc/ntp.conf", ""));
        image.LiteFiles("lite", ("/var/lib/app/", "persistent"));
        image.LiteFiles(("/etc/hosts", "ro"));

        Assert.Equal(0, image.Lite().ExitCode);

        // Then the image's row wins over ALL's, a blank option is link (xCAT's tmpfs,rw), and /etc/mtab is always listed
        var saved = File.ReadAllText(Path.Combine(image.RootImg, ".statelite/litefile.save"));
        Assert.Equal(
            $"{StateliteImage.Name}: ro            /etc/hosts\n" +
            $"{StateliteImage.Name}: link          /etc/mtab\n" +
            $"{StateliteImage.Name}: link      /etc/ntp.conf\n" +
            $"{StateliteImage.Name}: persistent    /var/lib/app/\n",
            saved);
    }

    [Fact]
    public void A_second_run_with_the_same_entries_changes_nothing()
    {
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        image.LiteFiles(("/etc/ntp.conf", "link"), ("/root/", "link"), ("/root/.bashrc", "link"), ("/etc/hosts", "tmpfs"), ("/var/lib/app/", "persistent"), ("/var/tmp/", ""));
        Assert.Equal(0, image.Lite().ExitCode);
        var first = image.Tree();

        var again = image.Lite();

        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("creating", again.Output, StringComparison.Ordinal);
        Assert.Equal(first, image.Tree());
    }

    [Fact]
    public void An_entry_dropped_from_litefile_gets_its_file_back_on_the_next_run()
    {
        // Given a root lited with a linked file and a linked directory
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        image.LiteFiles(("/etc/ntp.conf", "link"), ("/root/", "link"));
        Assert.Equal(0, image.Lite().ExitCode);

        // When the directory's row is removed and liteimg runs again
        Assert.Equal(0, site.Run("tabch", "-d", $"image={StateliteImage.Name},file=/root/", "litefile").ExitCode);
        Assert.Equal(0, image.Lite().ExitCode);

        // Then /root is a directory again with its files, and its tmpfs link is gone
        var rootDirectory = Path.Combine(image.RootImg, "root");
        Assert.Null(new DirectoryInfo(rootDirectory).LinkTarget);
        Assert.Equal("boot\n", File.ReadAllText(Path.Combine(rootDirectory, "notes/todo")));
        Assert.False(Path.Exists(Path.Combine(image.RootImg, ".statelite/tmpfs/root")));
        Assert.NotNull(new FileInfo(Path.Combine(image.RootImg, "etc/ntp.conf")).LinkTarget);
    }

    [Fact]
    public void The_statelite_root_line_of_fstab_becomes_read_only()
    {
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();

        Assert.Equal(0, image.Lite().ExitCode);

        Assert.Equal("compute_x86_64 / tmpfs ro 0 1\nproc /proc proc defaults 0 0\n", File.ReadAllText(Path.Combine(image.RootImg, "etc/fstab")));
    }

    [Fact]
    public void A_ramdisk_image_gets_rootimg_statelite_gz_holding_the_layout_and_nodeset_serves_it()
    {
        // Given a ramdisk statelite image with its kernel and initrd, lited
        using var site = new TempSite();
        var image = new StateliteImage(site, rootfstype: "ramdisk").WithTree();
        image.LiteFiles(("/etc/ntp.conf", "link"));
        File.WriteAllBytes(site.Map($"{image.Directory}/kernel"), [0x4D, 0x5A, 0, 0]);
        site.WriteFile($"{image.Directory}/initrd-stateless.gz", "initrd");
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "lite01", "groups=compute", "netboot=xnba", "mac=52:54:00:00:00:09", "xcatmaster=10.0.0.1").ExitCode);
        Assert.Contains("please run \"liteimg\"", site.Run("nodeset", "lite01", $"osimage={StateliteImage.Name}").Error, StringComparison.Ordinal);

        var result = image.Lite();

        // Then the archive is a gzip'd cpio the real cpio lists, with the statelite tree and xcatinfo, mode 0644
        Assert.True(result.ExitCode == 0, result.Error);
        var root = $"{image.Directory}/rootimg";
        Assert.Contains($"Packing contents of {root} ...", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Packing contents of {root} done.", result.Output, StringComparison.Ordinal);
        var archive = site.Map($"{image.Directory}/rootimg-statelite.gz");
        Assert.Equal((UnixFileMode)0x1A4, File.GetUnixFileMode(archive));
        var names = ArchiveListing.Names(archive);
        Assert.Contains("./.statelite/litefile.save", names);
        Assert.Contains("./.statelite/tmpfs/etc/ntp.conf", names);
        Assert.Contains("./.default/etc/ntp.conf", names);
        Assert.Contains("./opt/xcat/xcatinfo", names);
        Assert.Contains($"IMAGENAME='{StateliteImage.Name}'", File.ReadAllText(Path.Combine(image.RootImg, "opt/xcat/xcatinfo")), StringComparison.Ordinal);

        // And nodeset points the node's kernel at it
        var nodeset = site.Run("nodeset", "lite01", $"osimage={StateliteImage.Name}");
        Assert.True(nodeset.ExitCode == 0, nodeset.Error);
        var xnba = File.ReadAllText(site.Map("/tftpboot/xcat/xnba/nodes/lite01"));
        Assert.Contains($"imgurl=http://10.0.0.1:80/{image.Directory}/rootimg-statelite.gz STATEMNT=", xnba, StringComparison.Ordinal);
    }

    [Fact]
    public void A_netboot_image_is_refused_and_its_root_is_left_alone()
    {
        using var site = new TempSite();
        var image = new StateliteImage(site, provmethod: "netboot").WithTree();
        var before = image.Tree();

        var result = image.Lite();

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Please make sure that osimage.provmethod is set to statelite before calling this command.\n", result.Error);
        Assert.Equal(before, image.Tree());
    }

    [Fact]
    public void An_unknown_image_and_a_missing_root_are_refused_with_their_names()
    {
        using var site = new TempSite();
        _ = new StateliteImage(site);

        Assert.Contains("Error: Cannot find image 'nosuch' from the osimage table.", site.Run("liteimg", "nosuch").Error, StringComparison.Ordinal);
        var missing = site.Run("liteimg", StateliteImage.Name);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("/install/netboot/rhels9.4/x86_64/compute/rootimg does not exist, run genimage", missing.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install/netboot/rhels9.4/x86_64/compute")));
    }

    [Theory]
    [InlineData("/etc/../../../outside", "link", "/etc/../../../outside climbs out of the root image")]
    [InlineData("/var/./tmp/", "tmpfs", "/var/./tmp/ climbs out of the root image")]
    [InlineData("etc/hosts", "tmpfs", "etc/hosts is not one absolute path.")]
    [InlineData("/etc/hosts", "bogus", "/etc/hosts has invalid option. The valid options: tmpfs persistent localdisk rw ro con link tmpfs,rw link,ro link,persistent link,con")]
    [InlineData("/etc/", "con", "/etc/ is directory, don't use \"con\" as its option")]
    public void A_bad_entry_is_refused_before_anything_is_written(string file, string option, string message)
    {
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        image.LiteFiles(("/etc/ntp.conf", "link"), (file, option));
        var before = image.Tree();

        var result = image.Lite();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: {message}", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing in /install/netboot/rhels9.4/x86_64/compute/rootimg was changed", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, image.Tree());
        Assert.False(Directory.Exists(Path.Combine(site.Directory, "outside")));
    }

    [Theory]
    [InlineData("/root/", "link", "/root/.bashrc", "tmpfs", "Based on the option of /root/, /root/.bashrc can only use \"link\"-based options")]
    [InlineData("/root/", "link", "/root/.bashrc", "link,ro", "Based on the option of /root/, /root/.bashrc should not use \"link,ro\" as its option")]
    [InlineData("/var/lib/", "persistent", "/var/lib/app/", "tmpfs", "/var/lib/app/ should have persistent option like /var/lib/")]
    [InlineData("/var/lib/", "ro", "/var/lib/app/", "ro", "the directory \"/var/lib/\" should not be with \"ro\" or \"con\" as its option")]
    public void A_child_entry_that_its_parents_option_forbids_is_refused(string parent, string parentOption, string child, string childOption, string message)
    {
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        image.LiteFiles((parent, parentOption), (child, childOption));
        var before = image.Tree();

        var result = image.Lite();

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: {message}", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, image.Tree());
    }

    [Fact]
    public void A_link_in_the_root_to_a_host_path_is_followed_inside_the_root()
    {
        // Given a root whose /srv is an absolute link to a directory that also exists on the host, outside the root
        using var site = new TempSite();
        var image = new StateliteImage(site).WithTree();
        var host = Path.Combine(site.Scratch, "hostsrv");
        Directory.CreateDirectory(host);
        File.WriteAllText(Path.Combine(host, "data"), "host's\n");
        File.CreateSymbolicLink(Path.Combine(image.RootImg, "srv"), host);
        image.LiteFiles(($"{host}/data", "link"), ("/srv/new.conf", "tmpfs"));

        Assert.Equal(0, image.Lite().ExitCode);

        // Then the host's directory is untouched and the entries were made inside the root, as the node will see them
        Assert.Equal(["data"], Directory.EnumerateFileSystemEntries(host).Select(Path.GetFileName));
        Assert.Null(new FileInfo(Path.Combine(host, "data")).LinkTarget);
        Assert.True(File.Exists(Path.Combine(image.RootImg, ".default" + host, "data")) || File.Exists(image.RootImg + "/.default" + host + "/data"));
        Assert.True(File.Exists(image.RootImg + host + "/new.conf"));
    }
}
