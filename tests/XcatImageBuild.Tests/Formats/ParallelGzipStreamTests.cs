using System.IO.Compression;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Tests.Formats;

public sealed class ParallelGzipStreamTests
{
    [Fact]
    public void Blocks_compressed_in_parallel_form_one_gzip_member_that_gzip_accepts()
    {
        // Given 5.5 blocks of compressible but varied data
        var data = SampleData(5 * 65536 + 32768);

        // When it is written through the parallel writer in odd-sized pieces
        var gz = Compress(data, level: 6, blockSize: 65536);

        // Then it is one gzip member (the kernel's initramfs unpacker needs each member to end on a cpio trailer),
        // whose trailer holds the CRC-32 and length of the whole input; gzip -t accepts it and it decompresses to the input
        Assert.Equal(1, CountMembers(gz));
        Assert.Equal(Crc32(data), System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8)));
        Assert.Equal((uint)data.Length, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4)));
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, gz);
            new ProcessRunner().Run(new ToolCommand("gzip", ["-t", file]));
            var unpacked = new ProcessRunner().Run(new ToolCommand("sh", ["-c", $"gzip -dc '{file}' | sha256sum"])).StandardOutput;
            Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), unpacked, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Equal(data, Decompress(gz));
    }

    public static TheoryData<bool, int, string, int> EdgeCases()
    {
        var cases = new TheoryData<bool, int, string, int>();
        foreach (var libdeflate in new[] { true, false })
        {
            foreach (var blockSize in new[] { 4096, 65536, 1 << 20 })
            {
                foreach (var (kind, length) in new[] { ("zeros", 0), ("text", 1), ("text", blockSize), ("text", blockSize + 1), ("text", 3 * blockSize + 999), ("random", 2 * blockSize + 17) })
                {
                    cases.Add(libdeflate, blockSize, kind, length);
                }
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(EdgeCases))]
    public void Every_block_size_and_input_round_trips_through_gzip_and_the_verifying_reader(bool libdeflate, int blockSize, string kind, int length)
    {
        // Given an input (empty, one byte, exactly one block, one byte over, several blocks, incompressible data)
        var data = DeflateBlockScannerTests.Sample(kind, length);

        // When it is gzipped with libdeflate or zlib at the fastest, default and smallest levels, and stored
        foreach (var (level, store) in new[] { (1, false), (6, false), (12, false), (6, true) })
        {
            var gz = Compress(data, level, blockSize, libdeflate: libdeflate, store: store);

            // Then it is one member that gzip -t accepts, gzip -cd and the verifying reader unpack to the input
            Assert.Equal(1, CountMembers(gz));
            AssertGzipReads(gz, data);
            using var reader = new VerifyingGzipStream(new MemoryStream(gz));
            using var unpacked = new MemoryStream();
            reader.CopyTo(unpacked);
            Assert.Equal(data, unpacked.ToArray());
        }
    }

    [Fact]
    public void The_output_is_the_same_for_any_number_of_threads()
    {
        var data = DeflateBlockScannerTests.Sample("text", 3_000_000);

        var one = Compress(data, 6, 65536, threads: 1);

        Assert.Equal(one, Compress(data, 6, 65536, threads: 2));
        Assert.Equal(one, Compress(data, 6, 65536, threads: 8));
    }

    [Fact]
    public void Libdeflate_is_smaller_than_zlib_at_the_same_level()
    {
        var data = DeflateBlockScannerTests.Sample("text", 2_000_000);

        Assert.True(ParallelGzipStream.UsesLibdeflate, "libdeflate0 is installed");
        Assert.True(Compress(data, 6, 1 << 20, libdeflate: true).Length < Compress(data, 6, 1 << 20, libdeflate: false).Length);
    }

    [Fact]
    public void The_same_input_gives_the_same_bytes_with_no_name_and_no_time_in_the_headers()
    {
        var data = SampleData(300_000);

        var first = Compress(data, level: 6, blockSize: 65536);
        var second = Compress(data, level: 6, blockSize: 65536);

        Assert.Equal(first, second);
        // FLG (byte 3) has no FNAME bit and MTIME (bytes 4-7) is zero.
        Assert.Equal(0, first[3] & 0x08);
        Assert.Equal(new byte[4], first[4..8]);
    }

    [Fact]
    public void An_empty_input_is_still_a_valid_gzip_file()
    {
        var gz = Compress([], level: 6, blockSize: 65536);

        Assert.Equal(0x1f, gz[0]);
        Assert.Empty(Decompress(gz));
    }

    [Fact]
    public void A_higher_level_gives_a_smaller_output()
    {
        var data = SampleData(1_000_000);

        Assert.True(Compress(data, 9, 65536).Length < Compress(data, 1, 65536).Length);
    }

    // The bitwise CRC-32 of gzip, as a reference independent of zlib.
    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static void AssertGzipReads(byte[] gz, byte[] data)
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, gz);
            new ProcessRunner().Run(new ToolCommand("gzip", ["-t", file]));
            var unpacked = new ProcessRunner().Run(new ToolCommand("sh", ["-c", $"gzip -dc '{file}' | sha256sum"])).StandardOutput;
            Assert.StartsWith(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(data)), unpacked, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static byte[] Compress(byte[] data, int level, int blockSize, int threads = 0, bool libdeflate = true, bool store = false)
    {
        using var output = new MemoryStream();
        using (var gzip = new ParallelGzipStream(output, level, blockSize, threads, leaveOpen: true, libdeflate) { Store = store })
        {
            for (var at = 0; at < data.Length; at += 7777)
            {
                gzip.Write(data, at, Math.Min(7777, data.Length - at));
            }
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    // Each member starts with the 10-byte header: magic, deflate, no flags, no time (an 8-byte run that compressed
    // data of this size does not contain by chance).
    private static int CountMembers(byte[] gz)
    {
        byte[] header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0];
        var count = 0;
        for (var i = gz.AsSpan().IndexOf(header); i >= 0; i = NextIndex(gz, header, i + 1))
        {
            count++;
        }

        return count;
    }

    private static int NextIndex(byte[] gz, byte[] header, int from)
    {
        var at = gz.AsSpan(from).IndexOf(header);
        return at < 0 ? -1 : from + at;
    }

    private static byte[] SampleData(int length)
    {
        var random = new Random(42);
        var words = new[] { "usr", "lib", "share", "x86_64-linux-gnu", "libc.so.6", "\n", " ", "ELF", "\0\0\0\0" };
        var text = new System.Text.StringBuilder();
        while (text.Length < length)
        {
            text.Append(words[random.Next(words.Length)]).Append((char)random.Next(32, 127));
        }

        return System.Text.Encoding.ASCII.GetBytes(text.ToString(0, length));
    }
}
