using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;

namespace PackimageBenchmark;

/// <summary>
/// Where packimage's gzip spends its CPU, stage by stage on one thread: reading the files and framing them as newc
/// cpio, CRC-32, libdeflate's deflate at each level asked for, and the block scanner that joins libdeflate's blocks
/// into one member. Each stage runs alone over the whole tree, so their CPU seconds add up to the work of a pack.
/// </summary>
internal static class Profile
{
    public static void Run(string tree, IReadOnlyList<int> levels, int blockSize)
    {
        var entries = ArchiveEntry.Number(FileTree.Scan(tree));
        var cpio = Path.Combine(Path.GetTempPath(), $"packimage-profile-{Environment.ProcessId}.cpio");
        try
        {
            var framing = Measure(() =>
            {
                using var sink = new CountingStream();
                CpioArchive.Write(sink, tree, entries);
                return sink.Length;
            });
            using (var file = new FileStream(cpio, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                CpioArchive.Write(file, tree, entries);
            }

            var length = new FileInfo(cpio).Length;
            Console.WriteLine(Invariant($"tree: {tree}, {length / 1e6:F1} MB as newc cpio, {entries.Count} members; {blockSize >> 10} KiB blocks; one thread; load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"));
            Console.WriteLine();
            Console.WriteLine($"{"stage",-44} {"CPU s",7} {"MB/s",7} {"output MB",10}");
            Row("read files + cpio framing", framing.Seconds, length, null);
            Row("CRC-32 (System.IO.Hashing)", Measure(() => Blocks(cpio, blockSize, block => Crc32.HashToUInt32(block))).Seconds, length, null);
            foreach (var level in levels)
            {
                using var compressor = new LibdeflateCompressor(level);
                var output = new byte[compressor.Bound(blockSize) + DeflateBlockScanner.SyncFlushRoom];
                var compressed = new List<byte[]>();
                long total = 0;
                var deflate = Measure(() => Blocks(cpio, blockSize, block =>
                {
                    var written = compressor.Compress(block, output);
                    compressed.Add(output.AsSpan(0, written).ToArray());
                    total += written;
                    return 0;
                }));
                Row($"libdeflate level {level}", deflate.Seconds, length, total);
                var scan = Measure(() =>
                {
                    foreach (var piece in compressed)
                    {
                        DeflateBlockScanner.Scan(piece);
                    }

                    return 0;
                });
                Row($"  block scanner on level {level}'s output", scan.Seconds, length, null);
            }
        }
        finally
        {
            File.Delete(cpio);
        }
    }

    private static long Blocks(string path, int blockSize, Func<byte[], long> action)
    {
        var block = new byte[blockSize];
        using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 0);
        long sum = 0;
        int read;
        while ((read = input.ReadAtLeast(block, blockSize, throwOnEndOfStream: false)) > 0)
        {
            sum += action(read == blockSize ? block : block[..read]);
        }

        return sum;
    }

    private static (double Seconds, long Result) Measure(Func<long> action)
    {
        GC.Collect();
        var before = Process.GetCurrentProcess().TotalProcessorTime;
        var result = action();
        return ((Process.GetCurrentProcess().TotalProcessorTime - before).TotalSeconds, result);
    }

    private static void Row(string stage, double seconds, long input, long? output) =>
        Console.WriteLine(Invariant($"{stage,-44} {seconds,7:F2} {input / 1e6 / seconds,7:F0} {(output is { } o ? (o / 1e6).ToString("F1", CultureInfo.InvariantCulture) : ""),10}"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
