namespace XcatImageBuild.Formats;

/// <summary>
/// A forward-only view of an archive's bytes that knows its offset, so a reader can say where a problem is, and
/// refuses to end early: every read names what it was reading when the archive was cut. Disposing it disposes the
/// archive's stream unless the reader was asked to leave it open.
/// </summary>
internal sealed class ArchiveSource(Stream stream, bool leaveOpen) : IDisposable
{
    private readonly byte[] _skipBuffer = new byte[81920];

    /// <summary>The offset of the next byte, counted from where reading started.</summary>
    public long Position { get; private set; }

    /// <summary>Fills <paramref name="buffer"/> completely.</summary>
    /// <exception cref="InvalidDataException">The archive ends first; the message names <paramref name="what"/>.</exception>
    public void ReadExactly(Span<byte> buffer, string what)
    {
        var read = ReadAtMost(buffer);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"The archive is cut short at offset {Position}, inside {what}.");
        }
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the archive ends; returns how many bytes were read.</summary>
    public int ReadAtMost(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = stream.Read(buffer[total..]);
            if (read == 0)
            {
                break;
            }

            total += read;
            Position += read;
        }

        return total;
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length, at least one byte unless the archive has ended.</summary>
    public int ReadSome(Span<byte> buffer)
    {
        var read = stream.Read(buffer);
        Position += read;
        return read;
    }

    /// <summary>Reads and drops <paramref name="count"/> bytes.</summary>
    /// <exception cref="InvalidDataException">The archive ends first.</exception>
    public void Skip(long count, string what)
    {
        while (count > 0)
        {
            var chunk = (int)Math.Min(count, _skipBuffer.Length);
            ReadExactly(_skipBuffer.AsSpan(0, chunk), what);
            count -= chunk;
        }
    }

    public void Dispose()
    {
        if (!leaveOpen)
        {
            stream.Dispose();
        }
    }
}
