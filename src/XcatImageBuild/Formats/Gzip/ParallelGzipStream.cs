using System.Buffers;
using System.IO.Compression;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// A write-only stream that gzips what is written to it on every core: the input is cut into blocks, each block is
/// compressed on its own into a complete gzip member, and the members are written in order. Concatenated members are
/// one valid gzip file (RFC 1952 §2.2): <c>gzip -d</c>, <c>gzip -t</c>, <c>cpio</c>, <c>tar</c> and the kernel's
/// initramfs unpacker read them as a whole. Member headers carry no name and no time, so the same input gives the same
/// bytes. Memory stays bounded: at most two blocks per worker are in flight, whatever the input size.
/// </summary>
public sealed class ParallelGzipStream : Stream
{
    /// <summary>The default block size: large enough that restarting the dictionary per block costs little ratio.</summary>
    public const int DefaultBlockSize = 1 << 20;

    // Header (no name, no time, Unix), one empty final stored block, CRC-32 0 and length 0.
    private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _level;
    private readonly int _blockSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<(byte[] Buffer, int Length)>> _pending = new();
    private byte[] _block;
    private int _filled;
    private long _total;
    private bool _disposed;

    /// <param name="output">Receives the gzip data.</param>
    /// <param name="level">zlib level 1 (fastest) to 9 (smallest).</param>
    /// <param name="blockSize">Uncompressed bytes per gzip member.</param>
    /// <param name="threads">Compression workers; default: one per core.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="output"/> open.</param>
    public ParallelGzipStream(Stream output, int level = 6, int blockSize = DefaultBlockSize, int threads = 0, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 9);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 4096);
        _output = output;
        _leaveOpen = leaveOpen;
        _level = level;
        _blockSize = blockSize;
        _maxInFlight = 2 * (threads > 0 ? threads : Environment.ProcessorCount);
        _block = ArrayPool<byte>.Shared.Rent(blockSize);
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _blockSize - _filled);
            buffer[..take].CopyTo(_block.AsSpan(_filled));
            _filled += take;
            _total += take;
            buffer = buffer[take..];
            if (_filled == _blockSize)
            {
                Submit();
            }
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    /// <summary>Writes every finished member; a partly filled block stays until it fills or the stream is closed.</summary>
    public override void Flush()
    {
        while (_pending.Count > 0)
        {
            WriteOldest();
        }

        _output.Flush();
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (disposing)
            {
                if (_filled > 0)
                {
                    Submit();
                }

                Flush();
                if (_total == 0)
                {
                    // zlib writes nothing for no input; an empty member keeps the output a valid gzip file.
                    _output.Write(EmptyMember);
                }

                Flush();
            }
        }
        finally
        {
            _disposed = true;
            ArrayPool<byte>.Shared.Return(_block);
            if (disposing && !_leaveOpen)
            {
                _output.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private void Submit()
    {
        var block = _block;
        var length = _filled;
        var level = _level;
        _pending.Enqueue(Task.Run(() => Compress(block, length, level)));
        _block = ArrayPool<byte>.Shared.Rent(_blockSize);
        _filled = 0;
        while (_pending.Count > _maxInFlight)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        var (buffer, length) = _pending.Dequeue().GetAwaiter().GetResult();
        try
        {
            _output.Write(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (byte[] Buffer, int Length) Compress(byte[] block, int length, int level)
    {
        try
        {
            // Deflate never grows data by more than 5 bytes per 16 KiB stored block; add room for header and trailer.
            var output = new PooledBufferStream(length + (length >> 10) + 256);
            using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                gzip.Write(block, 0, length);
            }

            return (output.Buffer, (int)output.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }
}
