using System.Formats.Tar;
using System.IO.Compression;
using XcatImageBuild.Bundles.Format;

namespace XcatImageBuild.Tests.Bundles;

public sealed class BundleWriterTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void A_bundle_with_deflated_and_stored_files_reads_back_with_every_byte_and_header()
    {
        // Given a compressible file larger than one chunk and an incompressible one that is stored
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("line of text for deflate\n", 200_000)));
        var random = RandomBytes(3_000_000, 1);
        var output = new MemoryStream();

        // When both are written
        using (var writer = new BundleWriter(output, Time))
        {
            writer.AddDirectory("./img/");
            writer.AddFile("./img/text", new MemoryStream(text), (UnixFileMode)0b110_100_100, alreadyCompressed: false);
            writer.AddFile("./img/rootimg.cpio.gz", new MemoryStream(random), (UnixFileMode)0b110_100_100, alreadyCompressed: true);
            writer.Finish();
        }

        // Then .NET's own gzip and tar readers see the same members, contents, owners and time
        output.Position = 0;
        using var reader = new TarReader(new GZipStream(output, CompressionMode.Decompress));
        var directory = reader.GetNextEntry()!;
        Assert.Equal(("./img/", TarEntryType.Directory), (directory.Name, directory.EntryType));
        var first = reader.GetNextEntry(copyData: true)!;
        Assert.Equal("./img/text", first.Name);
        Assert.Equal(text, ReadAll(first.DataStream!));
        var second = reader.GetNextEntry(copyData: true)!;
        Assert.Equal(random, ReadAll(second.DataStream!));
        Assert.Equal((0, 0, "root", "root", Time), (second.Uid, second.Gid, ((PosixTarEntry)second).UserName, ((PosixTarEntry)second).GroupName, second.ModificationTime));
        Assert.Null(reader.GetNextEntry());
    }

    [Fact]
    public void Already_compressed_data_is_stored_in_deflate_stored_blocks_not_deflated_again()
    {
        // Given 4 MB of incompressible data
        var random = RandomBytes(4_000_000, 2);
        var stored = new MemoryStream();

        // When it is written flagged as compressed
        Write(stored, random, alreadyCompressed: true);

        // Then the bundle is one gzip member whose deflate stream is nothing but stored blocks (type 00), each followed
        // by its bytes: a deflate pass that tried and failed to shrink the data would have written Huffman blocks
        var gz = stored.ToArray();
        Assert.Equal(new byte[] { 0x1f, 0x8b, 8 }, gz[..3]);
        var blockTypes = DeflateBlockTypes(gz.AsSpan(10, gz.Length - 18));
        Assert.All(blockTypes.SkipLast(1), type => Assert.Equal(0, type));
        Assert.True(blockTypes.Count >= random.Length / 65535, $"{blockTypes.Count} blocks");
        using var reader = new TarReader(new GZipStream(new MemoryStream(gz), CompressionMode.Decompress));
        Assert.Equal(random, ReadAll(reader.GetNextEntry(copyData: true)!.DataStream!));
    }

    [Fact]
    public void Data_not_flagged_as_compressed_is_deflated()
    {
        // Given text that deflates well
        var text = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("compressible line\n", 100_000)));
        var output = new MemoryStream();

        // When it is written without the flag
        Write(output, text, alreadyCompressed: false);

        // Then it is deflated with Huffman codes, to a fraction of its size
        var gz = output.ToArray();
        Assert.True(gz.Length < text.Length / 20, $"{gz.Length} bytes");
        Assert.Contains(DeflateBlockTypes(gz.AsSpan(10, gz.Length - 18)), type => type != 0);
    }

    [Fact]
    public void A_failing_output_stream_surfaces_as_an_io_error()
    {
        var output = new FailingStream(failAfter: 1_000_000);

        var error = Assert.ThrowsAny<IOException>(() =>
        {
            using var writer = new BundleWriter(output, Time);
            writer.AddFile("./img/big", new MemoryStream(RandomBytes(5_000_000, 3)), (UnixFileMode)0b110_100_100, alreadyCompressed: true);
            writer.Finish();
        });

        Assert.Contains("No space left on device", error.Message, StringComparison.Ordinal);
    }

    private static void Write(Stream output, byte[] data, bool alreadyCompressed)
    {
        using var writer = new BundleWriter(output, Time);
        writer.AddFile("./img/data", new MemoryStream(data), (UnixFileMode)0b110_100_100, alreadyCompressed);
        writer.Finish();
    }

    // The type (BTYPE) of every block of a raw deflate stream, read with the stored blocks' lengths so the walk stays
    // on block headers; a Huffman block ends the walk (its length is not known without decoding), so the last type
    // listed may be a Huffman block followed by others.
    private static List<int> DeflateBlockTypes(ReadOnlySpan<byte> deflate)
    {
        var types = new List<int>();
        long bit = 0;
        while (true)
        {
            var header = (deflate[(int)(bit >> 3)] | (deflate[(int)(bit >> 3) + 1] << 8)) >> (int)(bit & 7);
            var type = (header >> 1) & 3;
            types.Add(type);
            if (type != 0 || (header & 1) != 0)
            {
                return types;
            }

            var at = (int)((bit + 3 + 7) >> 3);
            var length = deflate[at] | (deflate[at + 1] << 8);
            bit = (at + 4 + length) * 8L;
        }
    }

    private static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] ReadAll(Stream stream)
    {
        var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // A disk that fills up: writes fail once the given number of bytes is reached.
    private sealed class FailingStream(long failAfter) : MemoryStream
    {
        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (Length + count > failAfter)
            {
                throw new IOException("No space left on device");
            }

            base.Write(buffer, offset, count);
        }
    }
}
