namespace XcatImageBuild.Progress;

/// <summary>
/// A write-only stream that passes everything on to another and counts the bytes into a <see cref="ProgressMeter"/>:
/// how far an archive writer got, measured where its bytes leave it.
/// </summary>
public sealed class ProgressStream : Stream
{
    private readonly Stream _inner;
    private readonly ProgressMeter _meter;

    public ProgressStream(Stream inner, ProgressMeter meter)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(meter);
        _inner = inner;
        _meter = meter;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _meter.Done;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _inner.Write(buffer);
        _meter.Advance(buffer.Length);
    }

    public override void WriteByte(byte value)
    {
        _inner.WriteByte(value);
        _meter.Advance(1);
    }

    public override void Flush() => _inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
