using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Formats;

public sealed class CpioArchiveTests : IDisposable
{
    private static readonly string[] Names = ["a", "b", "c", "d"];
    private readonly string _directory = Directory.CreateTempSubdirectory("cpio-archive-").FullName;

    [Fact]
    public void Inode_numbers_equal_in_their_low_32_bits_stay_two_files_and_hard_links_stay_links()
    {
        // Given two hard-linked pairs whose 64-bit inode numbers differ only above bit 32 (newc's field is 32 bits)
        var tree = Path.Combine(_directory, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllText(Path.Combine(tree, "a"), "first\n");
        var runner = new ProcessRunner();
        runner.Run(new ToolCommand("ln", [Path.Combine(tree, "a"), Path.Combine(tree, "b")]));
        File.WriteAllText(Path.Combine(tree, "c"), "second\n");
        runner.Run(new ToolCommand("ln", [Path.Combine(tree, "c"), Path.Combine(tree, "d")]));
        var files = FileTree.Scan(tree)
            .Select(f => f.Name switch
            {
                "./a" or "./b" => (f.Name, f.Status with { Inode = 0x1_0000_0007 }),
                "./c" or "./d" => (f.Name, f.Status with { Inode = 0x2_0000_0007 }),
                _ => f,
            })
            .ToList();

        // When they are numbered and archived
        var archive = Path.Combine(_directory, "tree.cpio");
        using (var output = File.Create(archive))
        {
            CpioArchive.Write(output, tree, ArchiveEntry.Number(files));
        }

        // Then the real cpio unpacks two files with two names each, not one file with four
        var unpacked = Path.Combine(_directory, "unpacked");
        Directory.CreateDirectory(unpacked);
        runner.Run(new ToolCommand("sh", ["-c", $"cpio -idum --quiet < '{archive}'"]) { WorkingDirectory = unpacked });
        var inodes = Names.ToDictionary(n => n, n => runner.Run(new ToolCommand("stat", ["-c", "%i %h", Path.Combine(unpacked, n)])).StandardOutput.Trim());
        Assert.Equal(inodes["a"], inodes["b"]);
        Assert.Equal(inodes["c"], inodes["d"]);
        Assert.NotEqual(inodes["a"], inodes["c"]);
        Assert.EndsWith(" 2", inodes["a"], StringComparison.Ordinal);
        Assert.Equal("first\n", File.ReadAllText(Path.Combine(unpacked, "b")));
        Assert.Equal("second\n", File.ReadAllText(Path.Combine(unpacked, "d")));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
