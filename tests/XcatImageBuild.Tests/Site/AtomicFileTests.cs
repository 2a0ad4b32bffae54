using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tests.Recipes;

namespace XcatImageBuild.Tests.Site;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_write_replaces_the_file_whole_with_the_mode_asked_for_and_leaves_no_temporary()
    {
        // Given an existing file
        using var directory = new TempDirectory();
        var path = directory.Write("state.json", "old\n");

        // When it is replaced with an exact mode that the umask would otherwise filter
        AtomicFile.Write(path, "new\n"u8.ToArray(), (UnixFileMode)0b111_111_101);

        // Then it holds the new bytes and the mode, and the directory holds nothing else
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal((UnixFileMode)0b111_111_101, File.GetUnixFileMode(path));
        Assert.Equal(["state.json"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_and_no_temporary()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("state.json", "old\n");

        Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            throw new IOException("No space left on device");
        }));

        Assert.Equal("old\n", File.ReadAllText(path));
        Assert.Equal(["state.json"], Directory.GetFileSystemEntries(directory.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_writer_that_takes_a_file_name_never_writes_the_final_name_itself()
    {
        using var directory = new TempDirectory();
        var path = directory.Write("rootimg.cpio.gz", "old archive");
        string? seen = null;

        AtomicFile.Create(path, temporary =>
        {
            seen = temporary;
            Assert.Equal("old archive", File.ReadAllText(path));
            File.WriteAllText(temporary, "new archive");
        });

        Assert.Equal("new archive", File.ReadAllText(path));
        Assert.StartsWith(".rootimg.cpio.gz.", Path.GetFileName(seen), StringComparison.Ordinal);
        Assert.Equal(directory.Path, Path.GetDirectoryName(seen));
    }
}
