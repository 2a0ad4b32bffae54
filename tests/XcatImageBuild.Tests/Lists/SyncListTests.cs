using XcatImageBuild.Lists;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Lists;

public sealed class SyncListTests
{
    // The sample synclist of xCAT's "The synclist file" documentation, with its sections.
    private const string Documented = """
        /etc/common_hosts -> /etc/hosts
        /etc/common_hosts -> /tmp/etc/hosts
        /tmp/prog1/conf1.tmpl -> /prog1/conf1
        /tmp/prog2/conf1 /tmp/prog2/conf2 -> /prog2
        /etc/testfile -> /etc/
        /etc/hosts -> (node1,node[2-3]) /etc/hosts   # only some nodes
        # the below are postscripts
        EXECUTE:
        /tmp/share/file2.post
        EXECUTEALWAYS:
        /tmp/myscript1
        /tmp/myscript2
        APPEND:
        /etc/myappenddir/appendfile -> /etc/mysetup/setup
        MERGE:
        /etc/mydir/mergepasswd -> /etc/passwd
        """;

    [Fact]
    public void The_documented_example_is_read_into_files_sections_and_noderanges()
    {
        var list = SyncList.Parse(Documented, "/install/custom/netboot/compute.synclist");

        Assert.Equal(6, list.Files.Count);
        Assert.Equal(["/etc/common_hosts"], list.Files[0].Sources);
        Assert.Equal("/etc/hosts", list.Files[0].Destination);
        Assert.False(list.Files[0].DestinationIsDirectory);
        Assert.Equal(["/tmp/prog2/conf1", "/tmp/prog2/conf2"], list.Files[3].Sources);
        Assert.True(list.Files[3].DestinationIsDirectory);
        Assert.True(list.Files[4].DestinationIsDirectory);
        Assert.Equal("node1,node[2-3]", list.Files[5].NodeRange);
        Assert.Equal(6, list.Files[5].LineNumber);
        Assert.Equal(["/tmp/share/file2.post"], list.Execute);
        Assert.Equal(["/tmp/myscript1", "/tmp/myscript2"], list.ExecuteAlways);
        Assert.Equal("/etc/mysetup/setup", Assert.Single(list.Append).Destination);
        Assert.Equal("/etc/passwd", Assert.Single(list.Merge).Destination);
    }

    [Fact]
    public void Malformed_lines_are_all_reported_with_their_numbers()
    {
        var error = Assert.Throws<XcatException>(() => SyncList.Parse("/a -> /b\n/c /d\n/e -> /f /g\nMERGE:\n/x -> /etc/hosts\n", "s.synclist"));

        Assert.Contains("s.synclist:2:", error.Message, StringComparison.Ordinal);
        Assert.Contains("s.synclist:3:", error.Message, StringComparison.Ordinal);
        Assert.Contains("s.synclist:5: MERGE supports only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Applying_to_an_image_copies_appends_and_merges_and_leaves_execute_to_the_nodes()
    {
        // Given a management node tree and an image
        using var dirs = new Dirs();
        dirs.Site("etc/common_hosts", "10.0.0.1 mn\n");
        dirs.Site("tmp/prog2/conf1", "one\n");
        dirs.Site("tmp/prog2/conf2", "two\n");
        dirs.Site("etc/testfile", "test\n");
        dirs.Site("etc/myappenddir/appendfile", "appended\n");
        dirs.Site("etc/mydir/mergepasswd", "root:x:0:0:new root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n");
        dirs.Site("tmp/prog1/conf1.tmpl", "tmpl\n");
        dirs.Image("etc/mysetup/setup", "original\n");
        dirs.Image("etc/passwd", "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1::/:/bin/false\n");
        File.SetUnixFileMode(dirs.SitePath("/tmp/prog2/conf1"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var list = SyncList.Parse(Documented, "compute.synclist");
        var progress = new CollectingProgress();

        // When it is applied twice (packimage runs on every pack)
        list.ApplyToImage(dirs.SitePath, dirs.ImagePath, progress);
        list.ApplyToImage(dirs.SitePath, dirs.ImagePath, progress);

        // Then files are copied to files and into directories, with their modes
        Assert.Equal("10.0.0.1 mn\n", dirs.ReadImage("etc/hosts"));
        Assert.Equal("10.0.0.1 mn\n", dirs.ReadImage("tmp/etc/hosts"));
        Assert.Equal("tmpl\n", dirs.ReadImage("prog1/conf1"));
        Assert.Equal("one\n", dirs.ReadImage("prog2/conf1"));
        Assert.Equal("two\n", dirs.ReadImage("prog2/conf2"));
        Assert.Equal("test\n", dirs.ReadImage("etc/testfile"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dirs.ImagePath("/prog2/conf1")));
        // APPEND adds once to the original, however often the image is packed
        Assert.Equal("original\nappended\n", dirs.ReadImage("etc/mysetup/setup"));
        // MERGE replaces root's line, keeps daemon and adds alice
        Assert.Equal("root:x:0:0:new root:/root:/bin/bash\ndaemon:x:1:1::/:/bin/false\nalice:x:1000:1000::/home/alice:/bin/sh\n", dirs.ReadImage("etc/passwd"));
        // the noderange line is not applied, and says so; EXECUTE scripts are named, not run
        Assert.Contains(progress.Warnings, w => w.Contains("compute.synclist:6", StringComparison.Ordinal));
        Assert.Contains(progress.Infos, i => i.Contains("/tmp/myscript1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_source_is_reported_before_anything_is_copied()
    {
        using var dirs = new Dirs();
        dirs.Site("etc/a", "a\n");
        var list = SyncList.Parse("/etc/a -> /etc/a\n/etc/missing -> /etc/missing\n", "x.synclist");

        var error = Assert.Throws<XcatException>(() => list.ApplyToImage(dirs.SitePath, dirs.ImagePath, new CollectingProgress()));

        Assert.Contains("x.synclist:2: the source /etc/missing does not exist.", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dirs.ImagePath("/etc/a")));
    }

    [Fact]
    public void A_trailing_glob_copies_every_matching_file_into_the_directory()
    {
        using var dirs = new Dirs();
        dirs.Site("home/mikev/a", "a");
        dirs.Site("home/mikev/b", "b");
        var list = SyncList.Parse("/home/mikev/* -> /home/mikev/\n");

        list.ApplyToImage(dirs.SitePath, dirs.ImagePath, new CollectingProgress());

        Assert.Equal("a", dirs.ReadImage("home/mikev/a"));
        Assert.Equal("b", dirs.ReadImage("home/mikev/b"));
    }

    private sealed class Dirs : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("synclist-").FullName;

        public string SitePath(string logical) => Path.Combine(_root, "site") + logical;

        public string ImagePath(string logical) => Path.Combine(_root, "rootimg") + logical;

        public void Site(string relative, string text) => Write(SitePath("/" + relative), text);

        public void Image(string relative, string text) => Write(ImagePath("/" + relative), text);

        public string ReadImage(string relative) => File.ReadAllText(ImagePath("/" + relative));

        public void Dispose() => Directory.Delete(_root, recursive: true);

        private static void Write(string path, string text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }
    }
}
