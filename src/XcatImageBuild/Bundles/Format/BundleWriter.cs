using System.Buffers;
using System.Security.Cryptography;
using XcatImageBuild.Bundles.Export;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;

namespace XcatImageBuild.Bundles.Format;

/// <summary>
/// The streaming core of a bundle: a tar (what xCAT's <c>tar czf</c> makes, read by its <c>tar zxf</c>) inside one
/// parallel gzip member. Every member is owned by root:root (0/0, by number and by name) and carries the one given
/// time, so the same content always gives the same bytes. Files flagged as already compressed are stored, not deflated
/// again (see <see cref="ParallelGzipStream.Store"/>). It knows bytes, not images: <see cref="Exporter"/> decides the
/// members.
/// </summary>
public sealed class BundleWriter : IDisposable
{
    private const int DirectoryMode = 0b111_101_101;

    // zlib's default level: bundles are written once and read by xCAT's tar, so size and speed weigh alike.
    private const int Level = 6;

    private readonly ParallelGzipStream _gzip;
    private readonly PaxTarWriter _tar;
    private readonly long _time;
    private bool _finished;

    /// <param name="output">Receives the .tgz bytes; left open.</param>
    /// <param name="time">The modification time of every member (whole seconds are kept).</param>
    public BundleWriter(Stream output, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(output);
        _time = time.ToUnixTimeSeconds();
        _gzip = new ParallelGzipStream(output, Level, leaveOpen: true);
        _tar = new PaxTarWriter(_gzip, leaveOpen: true);
    }

    /// <summary>Uncompressed tar bytes written so far, for progress.</summary>
    public long TarBytesWritten => _gzip.Position;

    /// <summary>Adds a directory member; <paramref name="name"/> ends with <c>/</c> (as in <c>./img/</c>).</summary>
    public void AddDirectory(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _tar.WriteEntry(Header(FileKind.Directory, name.EndsWith('/') ? name : name + "/", DirectoryMode, 0), null);
    }

    /// <summary>Adds a regular file member with the bytes of <paramref name="data"/> (read to its end).</summary>
    /// <param name="name">The member name, e.g. <c>./img/kernel</c>.</param>
    /// <param name="data">A seekable stream positioned at the data (a file or memory stream).</param>
    /// <param name="mode">The permission bits.</param>
    /// <param name="alreadyCompressed">Store the data instead of deflating it.</param>
    /// <returns>The SHA-256 of the data, as 64 lowercase hex digits.</returns>
    /// <exception cref="IOException">Reading the data or writing the bundle failed, or the file changed size meanwhile.</exception>
    public string AddFile(string name, Stream data, UnixFileMode mode, bool alreadyCompressed)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(data);
        using var hashing = new HashingReadStream(data);
        _gzip.Store = alreadyCompressed;
        try
        {
            _tar.WriteEntry(Header(FileKind.RegularFile, name, (int)mode, hashing.Length), hashing);
        }
        catch (InvalidDataException)
        {
            throw new IOException($"{name}: the file changed size while it was being exported.");
        }

        _gzip.Store = false;
        return hashing.Digest();
    }

    /// <summary>Adds a regular file member from bytes in memory; returns their SHA-256.</summary>
    public string AddFile(string name, byte[] content, UnixFileMode mode)
    {
        ArgumentNullException.ThrowIfNull(content);
        using var stream = new MemoryStream(content, writable: false);
        return AddFile(name, stream, mode, alreadyCompressed: false);
    }

    /// <summary>Writes the tar end marker and ends the gzip member. Without it the bundle is incomplete.</summary>
    /// <exception cref="IOException">Writing the bundle failed.</exception>
    public void Finish()
    {
        _tar.Finish();
        _gzip.Dispose();
        _finished = true;
    }

    public void Dispose()
    {
        try
        {
            _gzip.Dispose();
        }
        catch (IOException) when (!_finished)
        {
            // An unfinished bundle is thrown away by the caller; only what is held is released.
        }
    }

    private TarHeader Header(FileKind kind, string name, int mode, long length) =>
        new(name, kind, mode, 0, 0, _time, length, UserName: "root", GroupName: "root");

    // Hashes what the tar writer reads, which is never more than the length announced in the member's header (taken
    // when the member starts), even if the file grew meanwhile. SHA-256 is the slowest step of a stored member, so it runs on its own thread, one block after
    // the other, while the reading thread goes on.
    private sealed class HashingReadStream : ReadOnlyStream
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

        public override long Length => _length;

        protected override long BytesRead => _position;

        public string Digest()
        {
            HandOver();
            _hashing.GetAwaiter().GetResult();
            return Convert.ToHexStringLower(_hash.GetHashAndReset());
        }

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
