using System.Buffers;
using System.IO.Compression;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// A write-only gzip stream that compresses in parallel, pigz-style: the data is cut into chunks, each chunk becomes
/// its own gzip member on a worker thread, and the members are written in order. Concatenated members are one valid
/// gzip file (RFC 1952 §2.2; <c>gzip -d</c>, <c>tar xz</c> and .NET's GZipStream read them all). While
/// <see cref="Store"/> is set, chunks go into deflate stored blocks: already-compressed data (a rootimg.cpio.gz, an
/// initrd) costs a copy and a CRC instead of a deflate pass that would save nothing. Members carry no name and no
/// time, so the same input always gives the same bytes.
/// </summary>
internal sealed class BundleWriterGzipStream : Stream
{
    private const int DefaultChunkSize = 1 << 20;

    private readonly Stream _output;
    private readonly CompressionLevel _level;
    private readonly int _chunkSize;
    private readonly int _maxInFlight;
    private readonly Queue<Task<byte[]>> _inFlight = new();
    private byte[] _chunk;
    private int _chunkLength;
    private bool _store;
    private bool _failed;
    private long _written;

    /// <param name="output">Receives the gzip members; left open.</param>
    /// <param name="level">The level for data that is not stored.</param>
    /// <param name="chunkSize">Bytes of input per gzip member.</param>
    public BundleWriterGzipStream(Stream output, CompressionLevel level, int chunkSize = DefaultChunkSize)
    {
        _output = output;
        _level = level;
        _chunkSize = chunkSize;
        _maxInFlight = Math.Max(2, Environment.ProcessorCount * 2);
        _chunk = ArrayPool<byte>.Shared.Rent(chunkSize);
    }

    /// <summary>
    /// Whether what is written next is stored rather than deflated. Changing it ends the current chunk, so the
    /// switch falls exactly at this point of the data.
    /// </summary>
    public bool Store
    {
        get => _store;
        set
        {
            if (value != _store)
            {
                Dispatch();
                _store = value;
            }
        }
    }

    /// <summary>Uncompressed bytes written so far.</summary>
    public long UncompressedLength => _written;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_chunk.Length == 0, this);
        while (buffer.Length > 0)
        {
            var take = Math.Min(buffer.Length, _chunkSize - _chunkLength);
            buffer[..take].CopyTo(_chunk.AsSpan(_chunkLength));
            _chunkLength += take;
            _written += take;
            buffer = buffer[take..];
            if (_chunkLength == _chunkSize)
            {
                Dispatch();
            }
        }
    }

    /// <summary>Compresses what is buffered and writes every pending member to the output.</summary>
    public override void Flush()
    {
        Dispatch();
        while (_inFlight.Count > 0)
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
        if (disposing && _chunk.Length > 0)
        {
            try
            {
                if (!_failed)
                {
                    Flush();
                }
            }
            finally
            {
                // Let workers of a failed write finish before their buffers go back to the pool.
                foreach (var task in _inFlight)
                {
                    ((IAsyncResult)task).AsyncWaitHandle.WaitOne();
                }

                _inFlight.Clear();
                ArrayPool<byte>.Shared.Return(_chunk);
                _chunk = [];
            }
        }

        base.Dispose(disposing);
    }

    private void Dispatch()
    {
        if (_chunkLength == 0)
        {
            return;
        }

        var data = _chunk;
        var length = _chunkLength;
        var level = _store ? CompressionLevel.NoCompression : _level;
        _inFlight.Enqueue(Task.Run(() => Compress(data, length, level)));
        _chunk = ArrayPool<byte>.Shared.Rent(_chunkSize);
        _chunkLength = 0;
        while (_inFlight.Count > _maxInFlight)
        {
            WriteOldest();
        }
    }

    private void WriteOldest()
    {
        try
        {
            var member = _inFlight.Dequeue().GetAwaiter().GetResult();
            _output.Write(member);
        }
        catch
        {
            _failed = true;
            throw;
        }
    }

    private static byte[] Compress(byte[] data, int length, CompressionLevel level)
    {
        try
        {
            // Stored blocks add 5 bytes per 64 KiB; deflate may grow incompressible data slightly more.
            using var member = new MemoryStream(length + (length / 64) + 64);
            using (var gzip = new GZipStream(member, level, leaveOpen: true))
            {
                gzip.Write(data, 0, length);
            }

            return member.ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }
}
