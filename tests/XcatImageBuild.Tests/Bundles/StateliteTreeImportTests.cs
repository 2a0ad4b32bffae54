using System.Text;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// A statelite bundle's root tree, built entry by entry: a hostile one is refused with the entry named and the site
/// unchanged; a real one (absolute links, device nodes, set-user-ID programs) is unpacked by the rule the manual gives.
/// </summary>
public sealed class StateliteTreeImportTests
{
    private const string Tree = TestBundle.RootImgDir + "/rootimg";

    private const int Directory = 0x4000 | 0x1ED;
    private const int File = 0x8000 | 0x1A4;
    private const int Link = 0xA000 | 0x1FF;

    public static TheoryData<string> HostileCases() => [.. Hostile.Keys];

    private static readonly Dictionary<string, (Entry[] Entries, string Expected)> Hostile = new()
    {
        ["an entry that climbs out"] = ([Dir("rootimg"), Text("rootimg/../../etc/cron.d/evil", "* * * * * root sh\n")],
            "The root image tree img/rootimgtree.gz is refused: the entry 'rootimg/../../etc/cron.d/evil' climbs out of the tree ('..')."),
        ["an absolute entry"] = ([Dir("rootimg"), Text("/etc/cron.d/evil", "x")],
            "the entry '/etc/cron.d/evil' has an absolute name."),
        ["an entry outside rootimg"] = ([Dir("rootimg"), Text("etc/passwd", "root::0:0::/:/bin/sh\n")],
            "the entry 'etc/passwd' lies outside rootimg/."),
        ["a relative link that climbs out of the tree"] = ([Dir("rootimg"), Dir("rootimg/etc"), Symlink("rootimg/etc/up", "../../../../etc")],
            "the symbolic link 'rootimg/etc/up' leads out of the root image tree (to '../../../../etc')."),
        ["an entry written through a link"] = ([Dir("rootimg"), Symlink("rootimg/etc", "/etc"), Text("rootimg/etc/passwd", "x")],
            "the member 'rootimg/etc/passwd' lies below the symbolic link 'rootimg/etc'."),
        ["a link that leads out once a later link is in place"] = (
            [Dir("rootimg"), Dir("rootimg/sub"), Symlink("rootimg/a", "sub/b/b/../../../../etc"), Symlink("rootimg/sub/b", ".")],
            "the symbolic link 'rootimg/a' leads out of the root image tree (to 'sub/b/b/../../../../etc')."),
        ["a top level that is not a directory"] = ([Text("rootimg", "x")], "the entry 'rootimg' is not a directory."),
        ["the same entry twice"] = ([Dir("rootimg"), Text("rootimg/f", "a"), Text("rootimg/f", "b")], "the member 'rootimg/f' appears twice."),
    };

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void A_hostile_root_tree_is_refused_naming_the_entry_and_the_site_is_unchanged(string name)
    {
        // Given a site that holds an image, and a statelite bundle whose root tree is hostile
        var (entries, expected) = Hostile[name];
        using var site = HostileBundleTests.PopulatedSite();
        var before = SiteSnapshot.Take(site);
        var bundle = Statelite(Archive(entries)).WriteTo(site.Scratch);
        var outside = HostileBundleTests.Outside(site);

        // When it is imported, and when it is only verified
        var result = site.Run("imgimport", bundle);
        var verified = site.Run("imgimport", bundle, "--verify-only");

        // Then both refuse it naming the entry, and nothing changed in the site or beside it
        Assert.NotEqual(0, result.ExitCode);
        HostileBundleTests.AssertRefusedCleanly(expected, result);
        Assert.Contains(expected, verified.Error, StringComparison.Ordinal);
        Assert.Equal(before, SiteSnapshot.Take(site));
        Assert.Equal(outside, HostileBundleTests.Outside(site));
        Assert.Empty(System.IO.Directory.GetFileSystemEntries(site.Map(StagingArea.LogicalParent)));
    }

    [Fact]
    public void A_cut_root_tree_is_refused_as_cut()
    {
        var archive = Archive([Dir("rootimg"), Text("rootimg/big", new string('x', 100_000))]);
        using var site = HostileBundleTests.PopulatedSite();
        var before = SiteSnapshot.Take(site);

        var result = site.Run("imgimport", Statelite(archive[..^12]).WriteTo(site.Scratch));

        Assert.NotEqual(0, result.ExitCode);
        HostileBundleTests.AssertRefusedCleanly("The root image tree img/rootimgtree.gz is refused: The gzip data is cut short at offset", result);
        Assert.Equal(before, SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_real_root_tree_keeps_absolute_links_plain_devices_and_set_user_id_programs_by_the_rule()
    {
        // Given a root tree as genimage leaves it: an absolute link, /dev/null and a disk node, passwd set-user-ID
        // root, and a set-user-ID file where no program belongs
        var bundle = Statelite(Archive(
        [
            Dir("rootimg"), Dir("rootimg/usr"), Dir("rootimg/usr/bin"), Dir("rootimg/bin"), Dir("rootimg/dev"), Dir("rootimg/tmp"),
            Text("rootimg/usr/bin/bash", "#!bash\n"), Symlink("rootimg/bin/sh", "/usr/bin/bash"),
            new("rootimg/dev/null", 0x2000 | 0x1B6, null, (1, 3)), new("rootimg/dev/sda", 0x6000 | 0x1B0, null, (8, 0)),
            new("rootimg/usr/bin/passwd", 0x8000 | 0x9ED, "passwd\n"), new("rootimg/tmp/rootshell", 0x8000 | 0x9ED, "sh\n"),
        ]));
        using var site = new TempSite();

        // When it is imported
        var result = site.Run("imgimport", bundle.WriteTo(site.Scratch));

        // Then the absolute link is kept as it is, the disk node is left out and the stray set-user-ID bit dropped,
        // each named in a warning; as root /dev/null is made and passwd keeps its bit, without root neither
        Assert.True(result.ExitCode == 0, result.Error);
        var root = site.Map(Tree);
        Assert.Equal("/usr/bin/bash", new FileInfo(Path.Combine(root, "bin/sh")).LinkTarget);
        Assert.False(Path.Exists(Path.Combine(root, "dev/sda")));
        Assert.Contains("device nodes", result.Error, StringComparison.Ordinal);
        Assert.Contains("rootimg/dev/sda", result.Error, StringComparison.Ordinal);
        Assert.Contains("rootimg/tmp/rootshell", result.Error, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0x1ED, System.IO.File.GetUnixFileMode(Path.Combine(root, "tmp/rootshell")));
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal("character special file 1:3", new ProcessRunner().Run(new ToolCommand("stat", ["-c", "%F %t:%T", Path.Combine(root, "dev/null")])).StandardOutput.Trim());
            Assert.Equal((UnixFileMode)0x9ED, System.IO.File.GetUnixFileMode(Path.Combine(root, "usr/bin/passwd")));
            Assert.DoesNotContain("rootimg/usr/bin/passwd", result.Error, StringComparison.Ordinal);
            Assert.Contains("keeps the set-ID bits of 1 programs", result.Output, StringComparison.Ordinal);
        }
        else
        {
            Assert.False(Path.Exists(Path.Combine(root, "dev/null")));
            Assert.Equal((UnixFileMode)0x1ED, System.IO.File.GetUnixFileMode(Path.Combine(root, "usr/bin/passwd")));
        }
    }

    /// <summary>One cpio entry: its name, mode (type bits included), text content and device numbers.</summary>
    public sealed record Entry(string Name, int Mode, string? Content, (uint Major, uint Minor) Device = default);

    private static Entry Dir(string name) => new(name, Directory, null);

    private static Entry Text(string name, string content) => new(name, File, content);

    private static Entry Symlink(string name, string target) => new(name, Link, target);

    /// <summary>A gzip'd newc cpio of the entries, written by our writer without any checks of the names.</summary>
    private static byte[] Archive(Entry[] entries)
    {
        using var cpio = new MemoryStream();
        using (var writer = new CpioWriter(cpio, leaveOpen: true))
        {
            var inode = 1;
            foreach (var entry in entries)
            {
                var data = entry.Content is null ? [] : Encoding.UTF8.GetBytes(entry.Content);
                writer.WriteEntry(new CpioHeader(entry.Name, inode++, entry.Mode, 0, 0, 1, 1_600_000_000, data.Length, entry.Device.Major, entry.Device.Minor), new MemoryStream(data));
            }

            writer.Finish();
        }

        return TestBundle.Gzip(cpio.ToArray());
    }

    private static TestBundle Statelite(byte[] tree) => TestBundle.Netboot(change: m =>
        {
            m.OsImage["provmethod"] = "statelite";
            m.RootImg = null;
            m.RootImgTree = TestBundle.RootImgDir + "/rootimgtree.gz";
        })
        .File("./img/rootimgtree.gz", tree);
}
