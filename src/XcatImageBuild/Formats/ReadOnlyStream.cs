namespace XcatImageBuild.Formats;

/// <summary>
/// What every forward-only, read-only stream here shares: no seeking, no writing, array reads served by the span
/// read. A subclass gives <see cref="Read(Span{byte})"/> and how far it has read; one whose length is known says so.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public sealed override bool CanRead => true;

    public sealed override bool CanSeek => false;

    public sealed override bool CanWrite => false;

    /// <summary>Not known unless the subclass knows it.</summary>
    public override long Length => throw new NotSupportedException();

    /// <summary>How far the stream has been read; it cannot be set.</summary>
    public sealed override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    /// <summary>The bytes returned by <see cref="Read(Span{byte})"/> so far.</summary>
    protected abstract long BytesRead { get; }

    public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public abstract override int Read(Span<byte> buffer);

    public sealed override void Flush()
    {
    }

    public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public sealed override void SetLength(long value) => throw new NotSupportedException();

    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
