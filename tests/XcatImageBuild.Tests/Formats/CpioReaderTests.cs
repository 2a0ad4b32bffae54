using System.Text;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Formats;

public sealed class CpioReaderTests
{
    [Fact]
    public void Members_written_by_the_cpio_writer_read_back_with_every_field()
    {
        // Given an archive of a directory, a file, a symbolic link, a device node and two hard links of one file
        var archive = Write(writer =>
        {
            writer.WriteEntry(new CpioHeader(".", 1, 0x4000 | Octal("755"), 0, 0, 2, 1_700_000_000, 0), null);
            writer.WriteEntry(new CpioHeader("etc/hostname", 2, 0x8000 | Octal("644"), 10, 20, 1, 1_700_000_001, 6), new MemoryStream("node1\n"u8.ToArray()));
            writer.WriteEntry(new CpioHeader("bin", 3, 0xA000 | Octal("777"), 0, 0, 1, 5, 7), new MemoryStream("usr/bin"u8.ToArray()));
            writer.WriteEntry(new CpioHeader("dev/null", 4, 0x2000 | Octal("666"), 0, 0, 1, 5, 0, 1, 3), null);
            writer.WriteEntry(new CpioHeader("a", 5, 0x8000 | Octal("4755"), 0, 0, 2, 5, 0), null);
            writer.WriteEntry(new CpioHeader("b", 5, 0x8000 | Octal("4755"), 0, 0, 2, 5, 3), new MemoryStream("abc"u8.ToArray()));
        });

        // When it is read
        var entries = ReadAll(archive);

        // Then each member comes back as written, the trailer ends the list and the data of the hard link is with its last member
        Assert.Equal([".", "etc/hostname", "bin", "dev/null", "a", "b"], entries.Select(e => e.Entry.Name));
        Assert.Equal(
            [FileKind.Directory, FileKind.RegularFile, FileKind.SymbolicLink, FileKind.CharacterDevice, FileKind.RegularFile, FileKind.RegularFile],
            entries.Select(e => e.Entry.Kind));
        var hostname = entries[1].Entry;
        Assert.Equal((2L, Octal("644"), 10u, 20u, 1, 1_700_000_001L, 6L), (hostname.Header.Inode, hostname.Permissions, hostname.Header.Uid, hostname.Header.Gid, hostname.Header.Links, hostname.Header.ModificationTime, hostname.Header.DataLength));
        Assert.Equal("node1\n", entries[1].Data);
        Assert.Equal("usr/bin", entries[2].Entry.LinkTarget);
        Assert.Null(entries[2].Entry.DataStream);
        Assert.Equal((1u, 3u), entries[3].Entry.SpecialDevice);
        Assert.Equal((5L, 2, Octal("4755")), (entries[4].Entry.Header.Inode, entries[4].Entry.Header.Links, entries[4].Entry.Permissions));
        Assert.Null(entries[4].Entry.DataStream);
        Assert.Equal("abc", entries[5].Data);
    }

    [Fact]
    public void Data_left_unread_is_skipped_to_the_next_member()
    {
        var archive = Write(writer =>
        {
            writer.WriteEntry(new CpioHeader("big", 1, 0x8000 | Octal("644"), 0, 0, 1, 0, 100_001), new MemoryStream(new byte[100_001]));
            writer.WriteEntry(new CpioHeader("next", 2, 0x8000 | Octal("644"), 0, 0, 1, 0, 2), new MemoryStream("ok"u8.ToArray()));
        });

        using var reader = new CpioReader(new MemoryStream(archive));
        var big = reader.GetNextEntry()!;
        big.DataStream!.ReadExactly(new byte[10]);
        var next = reader.GetNextEntry()!;

        Assert.Equal("next", next.Name);
        Assert.Equal("ok", new StreamReader(next.DataStream!).ReadToEnd());
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void An_archive_made_by_the_real_cpio_reads_back_as_the_tree_it_was_made_of()
    {
        // Given a tree archived by GNU cpio in newc form
        var root = Directory.CreateTempSubdirectory("cpio-reader-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "tree/etc"));
            File.WriteAllText(Path.Combine(root, "tree/etc/motd"), "hello from cpio\n");
            File.WriteAllBytes(Path.Combine(root, "tree/odd"), [1, 2, 3, 4, 5]);
            File.CreateSymbolicLink(Path.Combine(root, "tree/motd"), "etc/motd");
            new ProcessRunner().Run(new ToolCommand("sh", ["-c", "ln tree/odd tree/odd2 && cd tree && find . | LC_ALL=C sort | cpio --quiet -o -H newc > ../tree.cpio"]) { WorkingDirectory = root });

            // When our reader reads it
            var entries = ReadAll(File.ReadAllBytes(Path.Combine(root, "tree.cpio")));

            // Then names, kinds, data, the link target and the hard link are those of the tree
            Assert.Equal([".", "etc", "etc/motd", "motd", "odd", "odd2"], entries.Select(e => e.Entry.Name));
            Assert.Equal("hello from cpio\n", entries[2].Data);
            Assert.Equal(FileKind.SymbolicLink, entries[3].Entry.Kind);
            Assert.Equal("etc/motd", entries[3].Entry.LinkTarget);
            Assert.Equal(entries[4].Entry.Header.Inode, entries[5].Entry.Header.Inode);
            Assert.Equal(2, entries[5].Entry.Header.Links);
            Assert.Equal("\u0001\u0002\u0003\u0004\u0005", entries[4].Data + entries[5].Data);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void An_archive_cut_at_any_byte_before_its_trailer_is_refused()
    {
        // Given a small archive with every kind of member
        var archive = Write(writer =>
        {
            writer.WriteEntry(new CpioHeader("d", 1, 0x4000 | Octal("755"), 0, 0, 2, 0, 0), null);
            writer.WriteEntry(new CpioHeader("d/f", 2, 0x8000 | Octal("644"), 0, 0, 1, 0, 5), new MemoryStream("12345"u8.ToArray()));
            writer.WriteEntry(new CpioHeader("d/l", 3, 0xA000 | Octal("777"), 0, 0, 1, 0, 1), new MemoryStream("f"u8.ToArray()));
        });
        var trailerEnd = archive.Length;

        // Then every cut before the end of the trailer is an InvalidDataException, whether the data is read or skipped
        for (var cut = 0; cut < trailerEnd; cut++)
        {
            var bytes = archive[..cut];
            Assert.Throws<InvalidDataException>(() => ReadAll(bytes));
            Assert.Throws<InvalidDataException>(() => SkipAll(bytes));
        }

        Assert.Equal(3, ReadAll(archive).Count);
    }

    [Theory]
    [InlineData("magic", "070707", "old portable form")]
    [InlineData("magic", "07070X", "newc magic")]
    [InlineData("mode", "0000Z1A4", "mode field that is not hexadecimal")]
    [InlineData("filesize", "-0000001", "filesize field that is not hexadecimal")]
    [InlineData("namesize", "00000000", "name size of 0")]
    [InlineData("namesize", "00100000", "names are limited to 4095")]
    public void A_malformed_header_is_refused_with_the_field_named(string field, string value, string message)
    {
        var archive = Write(writer => writer.WriteEntry(new CpioHeader("f", 1, 0x8000 | Octal("644"), 0, 0, 1, 0, 0), null));
        var at = field == "magic" ? 0 : 6 + (8 * Array.IndexOf(["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize"], field));
        Encoding.ASCII.GetBytes(value).CopyTo(archive, at);

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("offset 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_without_its_NUL_is_refused()
    {
        var archive = Write(writer => writer.WriteEntry(new CpioHeader("name", 1, 0x8000 | Octal("644"), 0, 0, 1, 0, 0), null));
        archive[110 + 4] = (byte)'x';

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive));

        Assert.Contains("NUL-terminated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_that_is_not_UTF8_is_named_as_such()
    {
        var archive = Write(writer => writer.WriteEntry(new CpioHeader("nameA", 1, 0x8000 | Octal("644"), 0, 0, 1, 0, 0), null));
        archive[110 + 4] = 0xFF;

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive));

        Assert.Contains("is not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_target_longer_than_the_bound_is_refused_without_reading_it()
    {
        var archive = Write(writer => writer.WriteEntry(new CpioHeader("l", 1, 0xA000 | Octal("777"), 0, 0, 1, 0, 5000), new MemoryStream(new byte[5000])));

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive[..200]));

        Assert.Contains("'l': a symbolic link target of 5000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_with_data_is_refused()
    {
        var archive = Write(writer => writer.WriteEntry(new CpioHeader("d", 1, 0x4000 | Octal("755"), 0, 0, 1, 0, 4), new MemoryStream(new byte[4])));

        var error = Assert.Throws<InvalidDataException>(() => ReadAll(archive));

        Assert.Contains("'d': a directory with 4 bytes of data", error.Message, StringComparison.Ordinal);
    }

    private static int Octal(string digits) => Convert.ToInt32(digits, 8);

    private static byte[] Write(Action<CpioWriter> members)
    {
        var output = new MemoryStream();
        using (var writer = new CpioWriter(output, leaveOpen: true))
        {
            members(writer);
        }

        return output.ToArray();
    }

    private static List<(CpioEntry Entry, string? Data)> ReadAll(byte[] archive)
    {
        using var reader = new CpioReader(new MemoryStream(archive));
        var entries = new List<(CpioEntry, string?)>();
        while (reader.GetNextEntry() is { } entry)
        {
            entries.Add((entry, entry.DataStream is { } data ? new StreamReader(data, Encoding.Latin1).ReadToEnd() : null));
        }

        return entries;
    }

    private static void SkipAll(byte[] archive)
    {
        using var reader = new CpioReader(new MemoryStream(archive));
        while (reader.GetNextEntry() is not null)
        {
        }
    }
}
