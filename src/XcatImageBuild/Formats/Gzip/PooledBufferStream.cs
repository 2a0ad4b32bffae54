using System.Buffers;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>A growable write-only memory stream over a pooled array; the caller returns <see cref="Buffer"/> to the pool.</summary>
internal sealed class PooledBufferStream : Stream
{
    private int _length;

    public PooledBufferStream(int capacity)
    {
        Buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    public byte[] Buffer { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => _length;

    public override long Position
    {
        get => _length;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_length + buffer.Length > Buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(Buffer.Length * 2, _length + buffer.Length));
            Buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(Buffer);
            Buffer = larger;
        }

        buffer.CopyTo(Buffer.AsSpan(_length));
        _length += buffer.Length;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
