using System.Buffers;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using XcatImageBuild.Bundles.Export;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// The streaming core of a bundle: a GNU tar (what xCAT's <c>tar czf</c> writes) inside a parallel gzip stream.
/// Every member is owned by root:root (0/0) and carries the one given time, so the same content always gives the
/// same bytes. Files flagged as already compressed are stored, not deflated again (see
/// <see cref="BundleWriterGzipStream"/>). It knows bytes, not images: <see cref="Exporter"/> decides the members.
/// </summary>
public sealed class BundleWriter : IDisposable
{
    private const UnixFileMode DirectoryMode = (UnixFileMode)0b111_101_101;

    private readonly BundleWriterGzipStream _gzip;
    private readonly TarWriter _tar;
    private readonly DateTimeOffset _time;
    private bool _finished;

    /// <param name="output">Receives the .tgz bytes; left open.</param>
    /// <param name="time">The modification time of every member (whole seconds are kept).</param>
    public BundleWriter(Stream output, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(output);
        _time = DateTimeOffset.FromUnixTimeSeconds(time.ToUnixTimeSeconds());
        _gzip = new BundleWriterGzipStream(output, CompressionLevel.Optimal);
        _tar = new TarWriter(_gzip, TarEntryFormat.Gnu, leaveOpen: true);
    }

    /// <summary>Uncompressed tar bytes written so far, for progress.</summary>
    public long TarBytesWritten => _gzip.UncompressedLength;

    /// <summary>Adds a directory member; <paramref name="name"/> ends with <c>/</c> (as in <c>./img/</c>).</summary>
    public void AddDirectory(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _tar.WriteEntry(Entry(TarEntryType.Directory, name.EndsWith('/') ? name : name + "/", DirectoryMode));
    }

    /// <summary>Adds a regular file member with the bytes of <paramref name="data"/> (read to its end).</summary>
    /// <param name="name">The member name, e.g. <c>./img/kernel</c>.</param>
    /// <param name="data">A seekable stream positioned at the data (a file or memory stream).</param>
    /// <param name="mode">The permission bits.</param>
    /// <param name="alreadyCompressed">Store the data instead of deflating it.</param>
    /// <returns>The SHA-256 of the data, as 64 lowercase hex digits.</returns>
    /// <exception cref="IOException">Reading the data or writing the bundle failed.</exception>
    public string AddFile(string name, Stream data, UnixFileMode mode, bool alreadyCompressed)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        using var hashing = new HashingReadStream(data);
        var entry = Entry(TarEntryType.RegularFile, name, mode);
        entry.DataStream = hashing;
        _gzip.Store = alreadyCompressed;
        _tar.WriteEntry(entry);
        _gzip.Store = false;
        if (hashing.Position != hashing.Length)
        {
            throw new IOException($"{name}: the file changed size while it was being exported.");
        }

        return hashing.Digest();
    }

    /// <summary>Adds a regular file member from bytes in memory; returns their SHA-256.</summary>
    public string AddFile(string name, byte[] content, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return AddFile(name, stream, mode, alreadyCompressed: false);
    }

    /// <summary>Writes the tar end marker and every pending gzip member. Without it the bundle is incomplete.</summary>
    /// <exception cref="IOException">Writing the bundle failed.</exception>
    public void Finish()
    {
        _tar.Dispose();
        _gzip.Flush();
        _finished = true;
    }

    public void Dispose()
    {
        if (!_finished)
        {
            // An unfinished bundle is thrown away by the caller; only release what is held.
            try
            {
                _tar.Dispose();
            }
            catch (IOException)
            {
            }
        }

        try
        {
            _gzip.Dispose();
        }
        catch (IOException) when (!_finished)
        {
        }
    }

    private GnuTarEntry Entry(TarEntryType type, string name, UnixFileMode mode) => new(type, name)
    {
        Mode = mode,
        Uid = 0,
        Gid = 0,
        UserName = "root",
        GroupName = "root",
        ModificationTime = _time,
        AccessTime = _time,
        ChangeTime = _time,
    };

    // Hashes what TarWriter reads. It looks seekable so TarWriter can take the length from it; it is read once,
    // front to back. SHA-256 is the slowest step of a stored member, so it runs on its own thread, one block after
    // the other, while the reading thread goes on.
    private sealed class HashingReadStream : Stream
    {
        private const int BlockSize = 1 << 20;
        private const int MaxBlocksInFlight = 4;

        private readonly Stream _inner;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly long _length;
        private readonly Queue<Task> _inFlight = new();
        private Task _hashing = Task.CompletedTask;
        private byte[] _block = ArrayPool<byte>.Shared.Rent(BlockSize);
        private int _blockLength;
        private long _position;

        public HashingReadStream(Stream inner)
        {
            _inner = inner;
            _length = inner.Length - inner.Position;
        }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _position;
            set => Seek(value, SeekOrigin.Begin);
        }

        public string Digest()
        {
            HandOver();
            _hashing.GetAwaiter().GetResult();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Never past the length the tar header announced, even if the file grew meanwhile.
            var read = _inner.Read(buffer[..(int)Math.Min(buffer.Length, _length - _position)]);
            var pending = buffer[..read];
            while (pending.Length > 0)
            {
                var take = Math.Min(pending.Length, BlockSize - _blockLength);
                pending[..take].CopyTo(_block.AsSpan(_blockLength));
                _blockLength += take;
                pending = pending[take..];
                if (_blockLength == BlockSize)
                {
                    HandOver();
                }
            }

            _position += read;
            return read;
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var target = origin switch
            {
                SeekOrigin.Begin => offset,
                SeekOrigin.Current => _position + offset,
                _ => _length + offset,
            };
            return target == _position ? _position : throw new NotSupportedException("The data is read once, front to back.");
        }

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // A failed write may leave blocks queued; they finish before the hash and buffers are released.
                _hashing.ContinueWith(_ => { }, TaskScheduler.Default).Wait();
                _hash.Dispose();
                ArrayPool<byte>.Shared.Return(_block);
            }

            base.Dispose(disposing);
        }

        private void HandOver()
        {
            if (_blockLength == 0)
            {
                return;
            }

            var block = _block;
            var length = _blockLength;
            _hashing = _hashing.ContinueWith(
                _ =>
                {
                    _hash.AppendData(block, 0, length);
                    ArrayPool<byte>.Shared.Return(block);
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
            _inFlight.Enqueue(_hashing);
            _block = ArrayPool<byte>.Shared.Rent(BlockSize);
            _blockLength = 0;
            while (_inFlight.Count > MaxBlocksInFlight)
            {
                _inFlight.Dequeue().GetAwaiter().GetResult();
            }
        }
    }
}
