using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Compression;
using System.IO.Hashing;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// A write-only stream that gzips what is written to it on every core, as pigz does: the input is cut into blocks, each
/// block is deflated on its own and ended with a sync flush (so the pieces join into one deflate stream), and the
/// pieces are written in order inside ONE gzip member whose CRC-32 is combined from the blocks' CRCs. Blocks are
/// deflated by libdeflate where it is installed (<see cref="UsesLibdeflate"/>), else by zlib. libdeflate has no sync
/// flush: its output for a block is a complete deflate stream, so <see cref="DeflateBlockScanner"/> finds its final
/// block, clears the final bit and adds the empty stored block a sync flush would have ended with. One member is the
/// form every reader takes: the kernel's initramfs unpacker accepts a member only where it ends on a whole cpio entry,
/// which blocks cut at fixed sizes do not, while <c>gzip</c>, <c>cpio</c> and <c>tar</c> read either. The header carries no
/// name and no time, so the same input gives the same bytes. Memory stays bounded: at most two blocks per worker are in
/// flight, whatever the input size. While <see cref="Store"/> is set, blocks go into deflate stored blocks instead:
/// data that is compressed already (a rootimg.cpio.gz, an initrd inside a bundle) costs a copy and a CRC, not a
/// deflate pass that would save nothing.
/// </summary>
public sealed class ParallelGzipStream : Stream
{
    /// <summary>The default block size: large enough that restarting the dictionary per block costs little ratio.</summary>
    public const int DefaultBlockSize = 1 << 20;

    /// <summary>The default deflate level: libdeflate's 5 is the fastest no larger than <c>pigz -6</c>.</summary>
    public const int DefaultLevel = 5;

    /// <summary>The highest deflate level (libdeflate's; zlib stops at 9).</summary>
    public const int HighestLevel = LibdeflateCompressor.HighestLevel;

    // Magic, deflate, no flags (so no name), mtime 0, no extra flags, OS Unix.
    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3];

    // An empty final block with fixed codes: ends a deflate stream whose last piece ended with a sync flush.
    private static readonly byte[] FinalBlock = [3, 0];

    // zlib's gzip header is 10 bytes, its trailer 8 (CRC-32, length), both little-endian.
    private const int GzipHeaderLength = 10;

    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly int _level;
    private readonly int _blockSize;
    private readonly int _maxInFlight;
    private readonly bool _libdeflate;
    private readonly Queue<Task<CompressedBlock>> _pending = new();

    // libdeflate compressors are costly to make and used by one thread at a time: each worker takes one and gives it back.
    private readonly ConcurrentBag<LibdeflateCompressor> _compressors = [];
    private readonly ConcurrentBag<LibdeflateCompressor> _storers = [];
    private byte[] _block;
    private int _filled;
    private long _total;
    private uint _crc;
    private bool _headerWritten;
    private bool _store;
    private bool _failed;
    private bool _disposed;

    /// <param name="output">Receives the gzip data.</param>
    /// <param name="level">
    /// The deflate level: libdeflate's 1 (fastest) to 12 (smallest); zlib, where libdeflate is missing, takes 1 to 9 and
    /// does 9 for anything above.
    /// </param>
    /// <param name="blockSize">Uncompressed bytes per block compressed on its own.</param>
    /// <param name="threads">Compression workers; default: one per core.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="output"/> open.</param>
    public ParallelGzipStream(Stream output, int level = DefaultLevel, int blockSize = DefaultBlockSize, int threads = 0, bool leaveOpen = false)
        : this(output, level, blockSize, threads, leaveOpen, LibdeflateCompressor.IsAvailable)
    {
    }

    /// <param name="output">Receives the gzip data.</param>
    /// <param name="level">The deflate level, 1 to 12.</param>
    /// <param name="blockSize">Uncompressed bytes per block compressed on its own.</param>
    /// <param name="threads">Compression workers; default: one per core.</param>
    /// <param name="leaveOpen">Whether disposing leaves <paramref name="output"/> open.</param>
    /// <param name="libdeflate">Whether blocks are deflated by libdeflate (which must be installed) rather than zlib.</param>
    internal ParallelGzipStream(Stream output, int level, int blockSize, int threads, bool leaveOpen, bool libdeflate)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, LibdeflateCompressor.HighestLevel);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 4096);
        _libdeflate = libdeflate;
        _output = output;
        _leaveOpen = leaveOpen;
        _level = level;
        _blockSize = blockSize;
        _maxInFlight = 2 * (threads > 0 ? threads : Environment.ProcessorCount);
        _block = ArrayPool<byte>.Shared.Rent(blockSize);
    }

    /// <summary>
    /// Whether what is written next is stored rather than deflated. Changing it ends the current block, so the switch
    /// falls exactly at this point of the data.
    /// </summary>
    public bool Store
    {
        get => _store;
        set
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (value != _store)
            {
                if (_filled > 0)
                {
                    Submit();
                }

                _store = value;
            }
        }
    }

    /// <summary>
    /// Whether libdeflate (Debian's <c>libdeflate0</c>) is installed, so gzip streams use it; without it they fall back
    /// to zlib, slower and a little larger.
    /// </summary>
    public static bool UsesLibdeflate => LibdeflateCompressor.IsAvailable;

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

    /// <summary>Ends the member: the last block, an empty final block and the trailer (CRC-32 and length of the input).</summary>
    protected override void Dispose(bool disposing)
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            if (disposing && !_failed)
            {
                if (_filled > 0)
                {
                    Submit();
                }

                Flush();
                WriteHeaderOnce();
                Span<byte> trailer = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer, _crc);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], unchecked((uint)_total));
                _output.Write(FinalBlock);
                _output.Write(trailer);
                _output.Flush();
            }
        }
        finally
        {
            _disposed = true;
            // After a failed write the workers still running own their buffers; they finish before this returns.
            foreach (var task in _pending)
            {
                ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
                if (task.IsCompletedSuccessfully)
                {
                    ArrayPool<byte>.Shared.Return(task.Result.Buffer);
                }
            }

            _pending.Clear();
            foreach (var compressor in _compressors.Concat(_storers))
            {
                compressor.Dispose();
            }

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
        var level = _store ? 0 : _level;
        _pending.Enqueue(Task.Run(() => _libdeflate ? CompressWithLibdeflate(block, length, level) : CompressWithZlib(block, length, level)));
        _block = ArrayPool<byte>.Shared.Rent(_blockSize);
        _filled = 0;
        while (_pending.Count > _maxInFlight)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        CompressedBlock block;
        try
        {
            block = _pending.Dequeue().GetAwaiter().GetResult();
        }
        catch
        {
            _failed = true;
            throw;
        }

        try
        {
            WriteHeaderOnce();
            _output.Write(block.Buffer, block.Offset, block.DeflateLength);
            _crc = Crc32Combine.Combine(_crc, block.Crc, block.InputLength);
        }
        catch
        {
            _failed = true;
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
        }
    }

    private void WriteHeaderOnce()
    {
        if (!_headerWritten)
        {
            _output.Write(Header);
            _headerWritten = true;
        }
    }

    // libdeflate deflates the block whole; its final block is reopened and ended as a sync flush ends, so the next
    // block's deflate data follows on the next byte. Level 0 gives stored blocks.
    private CompressedBlock CompressWithLibdeflate(byte[] block, int length, int level)
    {
        var compressors = level == 0 ? _storers : _compressors;
        if (!compressors.TryTake(out var compressor))
        {
            compressor = new LibdeflateCompressor(level);
        }

        try
        {
            var output = ArrayPool<byte>.Shared.Rent(compressor.Bound(length) + DeflateBlockScanner.SyncFlushRoom);
            try
            {
                var written = compressor.Compress(block.AsSpan(0, length), output);
                var joined = DeflateBlockScanner.EndWithSyncFlush(output, written);
                return new CompressedBlock(output, 0, joined, Crc32.HashToUInt32(block.AsSpan(0, length)), length);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(output);
                throw;
            }
        }
        finally
        {
            compressors.Add(compressor);
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    // zlib writes the block as a gzip member; the deflate data up to the sync flush is kept (the final block zlib adds
    // on close is dropped) and the block's CRC-32 is read from the member's trailer. Level 0 gives stored blocks.
    private static CompressedBlock CompressWithZlib(byte[] block, int length, int level)
    {
        try
        {
            // Deflate never grows data by more than 5 bytes per 16 KiB stored block; add room for header and trailer.
            var output = new PooledBufferStream(length + (length >> 10) + 256);
            int flushed;
            using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = Math.Min(level, 9) }, leaveOpen: true))
            {
                gzip.Write(block, 0, length);
                gzip.Flush();
                flushed = (int)output.Length;
            }

            var crc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(output.Buffer.AsSpan((int)output.Length - 8));
            return new CompressedBlock(output.Buffer, GzipHeaderLength, flushed - GzipHeaderLength, crc, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private readonly record struct CompressedBlock(byte[] Buffer, int Offset, int DeflateLength, uint Crc, int InputLength);
}
