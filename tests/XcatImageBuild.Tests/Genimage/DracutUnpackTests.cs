using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Genimage;

/// <summary>
/// The dracut module's <c>xcatimg_unpack</c>, run by bash from the module's own xcatimg-lib.sh on a root image
/// packimage's gzip writer made, with the decompressors an initrd may hold: igzip, pigz or only gzip.
/// </summary>
public sealed class DracutUnpackTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("xcatimg-unpack-").FullName;

    public static TheoryData<string> Decompressors => new() { "igzip", "pigz", "gzip" };

    [Theory]
    [MemberData(nameof(Decompressors))]
    public void A_packed_root_unpacks_to_the_same_tree_with_whichever_decompressor_the_initrd_has(string decompressor)
    {
        // Given a tree of several gzip blocks (text, a binary-like file, a symlink, an empty directory), packed as
        // packimage packs it, and an initrd whose tools are bash, cpio and one gzip decompressor
        var tree = Path.Combine(_work, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "etc/empty"));
        File.WriteAllText(Path.Combine(tree, "etc/hosts"), "127.0.0.1 localhost\n");
        File.WriteAllText(Path.Combine(tree, "etc/text"), string.Concat(Enumerable.Range(0, 200_000).Select(i => $"line {i} of the root image\n")));
        File.WriteAllBytes(Path.Combine(tree, "etc/binary"), [.. Enumerable.Range(0, 3 << 20).Select(i => (byte)((i * 7919) ^ (i >> 9)))]);
        File.CreateSymbolicLink(Path.Combine(tree, "etc/link"), "hosts");
        var image = Path.Combine(_work, "rootimg.cpio.gz");
        using (var file = File.Create(image))
        using (var gzip = new ParallelGzipStream(file, blockSize: 1 << 20))
        {
            CpioArchive.Write(gzip, tree, ArchiveEntry.Number(FileTree.Scan(tree)));
        }

        var bin = Path.Combine(_work, "bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "bash", "cpio", "gzip", decompressor }.Distinct())
        {
            File.CreateSymbolicLink(Path.Combine(bin, tool), Which(tool));
        }

        var library = Path.Combine(_work, "xcatimg-lib.sh");
        using (var resource = typeof(ParallelGzipStream).Assembly.GetManifestResourceStream("XcatImageBuild.Genimage.Dracut.90xcatimg.xcatimg-lib.sh")!)
        using (var copy = File.Create(library))
        {
            resource.CopyTo(copy);
        }

        // When the module's unpack function reads it from standard input into an empty directory
        var target = Path.Combine(_work, "newroot");
        Directory.CreateDirectory(target);
        var result = new ProcessRunner().Run(new ToolCommand(Path.Combine(bin, "bash"), ["-c", $". '{library}'; xcatimg_unpack rootimg.cpio.gz '{target}' < '{image}'"])
        {
            Environment = new Dictionary<string, string?> { ["PATH"] = bin },
        });

        // Then it succeeds and the tree is there as it was packed
        Assert.Equal(0, result.ExitCode);
        foreach (var name in new[] { "etc/hosts", "etc/text", "etc/binary" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(tree, name)), File.ReadAllBytes(Path.Combine(target, name)));
        }

        Assert.Equal("hosts", new FileInfo(Path.Combine(target, "etc/link")).LinkTarget);
        Assert.True(Directory.Exists(Path.Combine(target, "etc/empty")));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    private static string Which(string tool) =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not installed (.ci/run installs it).");
}
