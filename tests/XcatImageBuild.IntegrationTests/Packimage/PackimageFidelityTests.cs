using System.Text;
using XcatImageBuild.Formats;
using XcatImageBuild.Processes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Packimage;

/// <summary>
/// Packs a tree holding every kind of file and metadata, extracts it as root with the real cpio and tar, and compares
/// the trees (issue 4, fidelity).
/// </summary>
public sealed class PackimageFidelityTests
{
    private static readonly ProcessRunner Tools = new();

    [Fact]
    public void A_tar_pack_extracted_by_gnu_tar_as_root_is_the_same_tree_with_xattrs_and_file_capabilities()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site);
        BuildTree(image.RootImg);

        var result = image.Pack("-m", "tar", "-c", "gzip", "--nosyncfiles");

        Assert.Equal(0, result.ExitCode);
        var extracted = Path.Combine(site.Directory, "extracted");
        Directory.CreateDirectory(extracted);
        Tools.Run(new ToolCommand("tar", ["--xattrs", "--xattrs-include=*", "--numeric-owner", "-xpzf", image.Output("rootimg.tar.gz"), "-C", extracted]));
        AssertSameTree(image.RootImg, extracted, withExtendedAttributes: true);
        // The capability is what makes ping work for a normal user (xCAT #922).
        Assert.Contains("cap_net_raw=ep", Tools.Run(new ToolCommand("getcap", [Path.Combine(extracted, "usr/bin/ping")])).StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cpio_pack_extracted_by_gnu_cpio_as_root_is_the_same_tree_and_warns_that_capabilities_are_lost()
    {
        using var site = new TempSite();
        var image = new NetbootImage(site);
        BuildTree(image.RootImg);

        var result = image.Pack("-m", "cpio", "--nosyncfiles");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("./usr/bin/ping", result.Error, StringComparison.Ordinal);
        Assert.Contains("use -m tar to keep them", result.Error, StringComparison.Ordinal);
        var extracted = Path.Combine(site.Directory, "extracted");
        Directory.CreateDirectory(extracted);
        Tools.Run(new ToolCommand("sh", ["-c", $"gzip -dc '{image.Output("rootimg.cpio.gz")}' | cpio -idmu --quiet --no-absolute-filenames"]) { WorkingDirectory = extracted });
        AssertSameTree(image.RootImg, extracted, withExtendedAttributes: false);
        // The hard-linked file's data is stored once: the archive's second link carries no data.
        var listing = Tools.Run(new ToolCommand("sh", ["-c", $"gzip -dc '{image.Output("rootimg.cpio.gz")}' | cpio -tv --quiet"])).StandardOutput;
        Assert.Single(listing.Split('\n'), l => l.Contains(" 100000 ", StringComparison.Ordinal) && l.Contains("./srv/data", StringComparison.Ordinal));
    }

    private static void BuildTree(string root)
    {
        void Write(string relative, string text)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        Write("etc/shadow", "root:!:19000:0:99999:7:::\n");
        Write("etc/owned", "owned by 1234:5678\n");
        Tools.Run(new ToolCommand("chown", ["1234:5678", Path.Combine(root, "etc/owned")]));
        Write("usr/bin/setuid", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(root, "usr/bin/setuid"), (UnixFileMode)0x9ED); // 4755
        Write("usr/bin/setgid", "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(root, "usr/bin/setgid"), (UnixFileMode)0x5ED); // 2755
        Write("usr/bin/ping", "not really ping\n");
        Tools.Run(new ToolCommand("setcap", ["cap_net_raw+ep", Path.Combine(root, "usr/bin/ping")]));
        Directory.CreateDirectory(Path.Combine(root, "tmp"));
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0x3FF); // 1777
        Directory.CreateDirectory(Path.Combine(root, "var/empty"));
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/link"), "setuid");
        File.CreateSymbolicLink(Path.Combine(root, "usr/bin/dangling"), "/nonexistent/target");
        Write("srv/data", new string('x', 100_000));
        Tools.Run(new ToolCommand("ln", [Path.Combine(root, "srv/data"), Path.Combine(root, "srv/data.hardlink")]));
        Directory.CreateDirectory(Path.Combine(root, "dev"));
        Tools.Run(new ToolCommand("mknod", [Path.Combine(root, "dev/null"), "c", "1", "3"]));
        Tools.Run(new ToolCommand("mknod", [Path.Combine(root, "dev/loop0"), "b", "7", "0"]));
        Tools.Run(new ToolCommand("mkfifo", [Path.Combine(root, "dev/initctl")]));
        NativeFile.SetExtendedAttribute(Path.Combine(root, "etc/owned"), "user.comment", Encoding.UTF8.GetBytes("kept"));
        // An old mtime, well before any SOURCE_DATE_EPOCH, on a file and a directory.
        File.SetLastWriteTimeUtc(Path.Combine(root, "etc/owned"), new DateTime(2001, 9, 9, 1, 46, 40, DateTimeKind.Utc));
        Directory.SetLastWriteTimeUtc(Path.Combine(root, "var/empty"), new DateTime(2001, 9, 9, 1, 46, 40, DateTimeKind.Utc));
    }

    private static void AssertSameTree(string expectedRoot, string actualRoot, bool withExtendedAttributes)
    {
        var expected = FileTree.Scan(expectedRoot).Where(f => !f.Name.StartsWith("./.statelite", StringComparison.Ordinal)).ToList();
        var actual = FileTree.Scan(actualRoot).ToDictionary(f => f.Name, f => f.Status);
        Assert.Equal(expected.Select(f => f.Name).Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        var inodes = new Dictionary<ulong, ulong>();
        foreach (var (name, want) in expected)
        {
            var got = actual[name];
            var what = $"{name}: {Describe(want, withExtendedAttributes)} vs {Describe(got, withExtendedAttributes)}";
            Assert.True(want.Kind == got.Kind && want.Permissions == got.Permissions && want.Uid == got.Uid && want.Gid == got.Gid, what);
            Assert.True(want.LinkTarget == got.LinkTarget && want.SpecialDevice == got.SpecialDevice && want.Size == got.Size, what);
            if (want.Kind is not (FileKind.SymbolicLink or FileKind.Directory))
            {
                Assert.True(want.ModificationTime == got.ModificationTime, what);
            }

            if (want.Kind == FileKind.RegularFile)
            {
                Assert.Equal(File.ReadAllBytes(Path.Combine(expectedRoot, name)), File.ReadAllBytes(Path.Combine(actualRoot, name)));
                // Hard links stay hard links: one inode on one side is one inode on the other.
                Assert.Equal(inodes.TryAdd(want.Inode, got.Inode) ? got.Inode : inodes[want.Inode], got.Inode);
            }

            if (withExtendedAttributes)
            {
                Assert.True(Describe(want.ExtendedAttributes) == Describe(got.ExtendedAttributes), what);
            }
        }

        Assert.True(actual["./var/empty"].ModificationTime == 1_000_000_000, "the empty directory keeps its mtime");
    }

    private static string Describe(FileStatus s, bool withExtendedAttributes) =>
        $"{s.Kind} {Convert.ToString(s.Permissions, 8)} {s.Uid}:{s.Gid} {s.Size} {s.ModificationTime} {s.SpecialDevice} {s.LinkTarget}"
        + (withExtendedAttributes ? " " + Describe(s.ExtendedAttributes) : string.Empty);

    private static string Describe(IReadOnlyList<KeyValuePair<string, byte[]>> attributes) =>
        string.Join(",", attributes.Select(a => a.Key + "=" + Convert.ToHexString(a.Value)));
}
