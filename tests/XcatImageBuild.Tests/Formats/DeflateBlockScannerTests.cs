using System.IO.Compression;
using XcatImageBuild.Formats.Gzip;

namespace XcatImageBuild.Tests.Formats;

public sealed class DeflateBlockScannerTests
{
    public static TheoryData<string, int> Inputs => new()
    {
        { "text", 0 }, { "text", 1 }, { "text", 5000 }, { "text", 300_000 }, { "random", 1 }, { "random", 200_000 }, { "zeros", 1_000_000 },
    };

    // .NET's zlib writes nothing at all for an empty input.
    public static TheoryData<string, int> ZlibInputs
    {
        get
        {
            var inputs = new TheoryData<string, int>();
            foreach (var row in Inputs.Where(row => (int)row[1] > 0))
            {
                inputs.Add((string)row[0], (int)row[1]);
            }

            return inputs;
        }
    }

    [Theory]
    [MemberData(nameof(ZlibInputs))]
    public void The_end_of_a_zlib_stream_is_found_in_its_last_byte(string kind, int length)
    {
        // Given deflate streams made by zlib at its fastest, default and smallest levels and stored (fixed, dynamic and
        // stored blocks; zlib pads the final byte with zeros)
        var data = Sample(kind, length);
        foreach (var level in new[] { CompressionLevel.NoCompression, CompressionLevel.Fastest, CompressionLevel.Optimal, CompressionLevel.SmallestSize })
        {
            var deflate = ZlibDeflate(data, level);

            // When the stream is scanned
            var (final, end) = DeflateBlockScanner.Scan(deflate);

            // Then it ends in its last byte, and its final block starts where the final bit is set
            Assert.Equal(deflate.Length, (int)((end + 7) / 8));
            Assert.True(final < end);
            Assert.Equal(1, (deflate[final / 8] >> (int)(final % 8)) & 1);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(6)]
    [InlineData(12)]
    public void Libdeflate_streams_reopened_with_a_sync_flush_join_into_one_stream_zlib_inflates(int level)
    {
        // Given pieces of every kind (stored blocks come from level 0 and from random data at any level)
        var pieces = Inputs.Select(row => Sample((string)row[0], (int)row[1])).ToList();
        using var compressor = new LibdeflateCompressor(level);

        // When each is deflated on its own, reopened, and the pieces are followed by an empty final block
        var joined = new MemoryStream();
        foreach (var piece in pieces)
        {
            var buffer = new byte[compressor.Bound(piece.Length) + DeflateBlockScanner.SyncFlushRoom];
            var length = DeflateBlockScanner.EndWithSyncFlush(buffer, compressor.Compress(piece, buffer));

            // Then each piece ends as a sync flush ends, on a byte boundary
            Assert.Equal(new byte[] { 0, 0, 0xFF, 0xFF }, buffer[(length - 4)..length]);
            joined.Write(buffer, 0, length);
        }

        joined.Write([3, 0]);

        // And zlib inflates the whole to the pieces in order
        Assert.Equal(pieces.SelectMany(p => p).ToArray(), Inflate(joined.ToArray()));
    }

    [Fact]
    public void A_truncated_or_corrupt_stream_is_refused()
    {
        var deflate = ZlibDeflate(Sample("text", 100_000), CompressionLevel.Optimal);

        Assert.Throws<InvalidDataException>(() => DeflateBlockScanner.Scan(deflate.AsSpan(0, deflate.Length / 2)));
        Assert.Throws<InvalidDataException>(() => DeflateBlockScanner.Scan([]));
        // Block type 3 does not exist.
        Assert.Throws<InvalidDataException>(() => DeflateBlockScanner.Scan([0x07, 0, 0, 0]));
        // A stored block whose length and complement disagree.
        Assert.Throws<InvalidDataException>(() => DeflateBlockScanner.Scan([0x01, 5, 0, 0, 0, 1, 2, 3, 4, 5]));
    }

    private static byte[] ZlibDeflate(byte[] data, CompressionLevel level)
    {
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, level, leaveOpen: true))
        {
            deflate.Write(data);
        }

        return output.ToArray();
    }

    private static byte[] Inflate(byte[] deflate)
    {
        using var input = new DeflateStream(new MemoryStream(deflate), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    internal static byte[] Sample(string kind, int length)
    {
        var random = new Random(length);
        var data = new byte[length];
        switch (kind)
        {
            case "random":
                random.NextBytes(data);
                break;
            case "text":
                var words = System.Text.Encoding.ASCII.GetBytes("usr lib share x86_64-linux-gnu libc.so.6 ELF \0\0\0\0 /etc/passwd root:x:0:0 ");
                for (var i = 0; i < length; i++)
                {
                    data[i] = random.Next(8) == 0 ? (byte)random.Next(256) : words[(i * 7 + random.Next(3)) % words.Length];
                }

                break;
            default:
                break;
        }

        return data;
    }
}
