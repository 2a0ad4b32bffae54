namespace XcatImageBuild.Formats;

/// <summary>
/// The data of one archive member: a read-only stream of exactly the length its header gave, over the archive's
/// bytes. Reading past the archive's end is an error naming the member, never a short file taken for a whole one.
/// </summary>
internal sealed class ArchiveEntryStream : ReadOnlyStream
{
    private readonly ArchiveSource _source;
    private readonly string _member;
    private readonly long _length;
    private long _left;

    public ArchiveEntryStream(ArchiveSource source, string member, long length)
    {
        _source = source;
        _member = member;
        _length = length;
        _left = length;
    }

    /// <summary>How messages name the member.</summary>
    public string Member => _member;

    /// <summary>Bytes of the member not read yet.</summary>
    public long Remaining => _left;

    public override long Length => _length;

    protected override long BytesRead => _length - _left;

    public override int Read(Span<byte> buffer)
    {
        if (_left == 0 || buffer.IsEmpty)
        {
            return 0;
        }

        var want = (int)Math.Min(buffer.Length, _left);
        var read = _source.ReadSome(buffer[..want]);
        if (read == 0)
        {
            throw new InvalidDataException($"{_member}: the archive is cut short at offset {_source.Position}, {_left} of its {_length} bytes missing.");
        }

        _left -= read;
        return read;
    }

    /// <summary>Reads and drops what is left of the member, so the next header can be read.</summary>
    /// <exception cref="InvalidDataException">The archive ends first.</exception>
    public void SkipRest()
    {
        if (_left > 0)
        {
            _source.Skip(_left, $"the data of {_member}");
            _left = 0;
        }
    }
}
