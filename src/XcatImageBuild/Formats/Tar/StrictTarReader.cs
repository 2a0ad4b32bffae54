using System.Globalization;
using System.Text;

namespace XcatImageBuild.Formats.Tar;

/// <summary>
/// Reads a ustar, pax or GNU tar archive one member at a time, for archives that are not trusted: every header's
/// checksum is verified, every octal or base-256 number is checked for form and range, pax records and GNU long
/// names are parsed within bounds, names that are not UTF-8 or hold NUL bytes are refused, sparse and unknown member
/// types are refused by name, and an archive cut anywhere (in a header, in data, in its padding, before its two
/// zero blocks) is refused. Every refusal is an <see cref="InvalidDataException"/> naming the member or the offset.
/// </summary>
public sealed class StrictTarReader : IDisposable
{
    /// <summary>The longest member name or link target read by default, in bytes (Linux's PATH_MAX).</summary>
    public const int DefaultMaxNameLength = 4096;

    /// <summary>The largest pax extended header read by default: far more than names and a few attributes need.</summary>
    public const int DefaultMaxPaxHeaderSize = 1 << 20;

    // GNU tar pads an archive to its record size (10 KiB by default, -b 2048 at most is 1 MiB) with zeros.
    private const int MaxTrailingPadding = 1 << 20;
    private const int Block = 512;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ArchiveSource _source;
    private readonly int _maxNameLength;
    private readonly int _maxPaxHeaderSize;
    private readonly byte[] _block = new byte[Block];
    private ArchiveEntryStream? _current;
    private bool _ended;

    /// <summary>Reads the archive in <paramref name="archive"/>, with names and pax headers bounded as given.</summary>
    public StrictTarReader(Stream archive, bool leaveOpen = false, int maxNameLength = DefaultMaxNameLength, int maxPaxHeaderSize = DefaultMaxPaxHeaderSize)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNameLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPaxHeaderSize);
        _source = new ArchiveSource(archive, leaveOpen);
        _maxNameLength = maxNameLength;
        _maxPaxHeaderSize = maxPaxHeaderSize;
    }

    /// <summary>Bytes of the archive read so far.</summary>
    public long Position => _source.Position;

    /// <summary>
    /// Reads the next member (skipping what was left of the previous one's data); null at the end of the archive,
    /// once its two zero blocks and the zero padding after them have been read to the end of the stream.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is malformed, cut short, or followed by something else.</exception>
    public TarMember? GetNextMember()
    {
        if (_ended)
        {
            return null;
        }

        if (_current is { } previous)
        {
            previous.SkipRest();
            _source.Skip(Padding(previous.Length), $"the padding after {previous.Member}");
            _current = null;
        }

        var pending = new Pending();
        while (true)
        {
            var offset = _source.Position;
            var got = _source.ReadAtMost(_block);
            if (got == 0)
            {
                throw new InvalidDataException(offset == 0
                    ? "The tar archive is empty."
                    : $"The tar archive ends at offset {offset} without its end-of-archive blocks.");
            }

            if (got < Block)
            {
                throw new InvalidDataException($"The tar archive is cut short at offset {_source.Position}, inside the header that starts at offset {offset}.");
            }

            if (!_block.AsSpan().ContainsAnyExcept((byte)0))
            {
                if (pending.Any)
                {
                    throw new InvalidDataException($"The tar archive ends at offset {offset} right after an extended header, without its member.");
                }

                ReadEnd(offset);
                return null;
            }

            VerifyChecksum(offset);
            var magic = _block.AsSpan(257, 8);
            var gnu = magic.SequenceEqual("ustar  \0"u8);
            if (!gnu && !magic[..6].SequenceEqual("ustar\0"u8))
            {
                throw new InvalidDataException($"The tar header at offset {offset} has neither the ustar nor the GNU magic; it is not a tar archive this reader takes.");
            }

            var type = (char)_block[156];
            var headerName = pending.Name ?? HeaderName(gnu, offset);
            var size = Number(124, 12, "size", headerName, long.MaxValue);
            switch (type)
            {
                case 'x':
                case 'g':
                    var records = ReadExtension(size, type == 'x' ? "pax extended header" : "pax global header", headerName, _maxPaxHeaderSize);
                    if (type == 'x')
                    {
                        ApplyPax(records, pending, headerName);
                    }
                    else
                    {
                        ApplyPax(records, new Pending(), headerName);
                    }

                    continue;
                case 'L':
                    pending.Name = LongName(ReadExtension(size, "GNU long name", headerName, _maxNameLength + 1), "GNU long name", headerName);
                    continue;
                case 'K':
                    pending.LinkName = LongName(ReadExtension(size, "GNU long link name", headerName, _maxNameLength + 1), "GNU long link name", headerName);
                    continue;
                default:
                    return Member(type, gnu, offset, headerName, size, pending);
            }
        }
    }

    public void Dispose() => _source.Dispose();

    private static long Padding(long size) => ((size + Block - 1) & ~(long)(Block - 1)) - size;

    private static string Quote(string name) => $"'{name}'";

    private TarMember Member(char type, bool gnu, long offset, string name, long size, Pending pending)
    {
        if (name.Length == 0)
        {
            throw new InvalidDataException($"The tar member at offset {offset} has an empty name.");
        }

        size = pending.Size ?? size;
        var mode = (int)Number(100, 8, "mode", name, 0x1FFFFF) & 0xFFF;
        var uid = (uint)(pending.Uid ?? Number(108, 8, "uid", name, uint.MaxValue));
        var gid = (uint)(pending.Gid ?? Number(116, 8, "gid", name, uint.MaxValue));
        var mtime = pending.ModificationTime ?? Number(136, 12, "mtime", name, long.MaxValue, allowNegative: true);
        var linkName = pending.LinkName ?? Field(157, 100, "link name", name);
        var kind = type switch
        {
            '0' or '\0' or '7' or '1' => FileKind.RegularFile,
            '2' => FileKind.SymbolicLink,
            '3' => FileKind.CharacterDevice,
            '4' => FileKind.BlockDevice,
            '5' => FileKind.Directory,
            '6' => FileKind.Fifo,
            'S' => throw new InvalidDataException($"{Quote(name)} is a GNU sparse member, which is not read."),
            'D' => throw new InvalidDataException($"{Quote(name)} is a GNU incremental-dump directory, which is not read."),
            'M' => throw new InvalidDataException($"{Quote(name)} is a GNU multi-volume continuation, which is not read."),
            'V' => throw new InvalidDataException($"{Quote(name)} is a GNU volume label, which is not read."),
            _ => throw new InvalidDataException($"{Quote(name)} has the unknown tar member type {DescribeType(type)}."),
        };
        if (pending.Sparse)
        {
            throw new InvalidDataException($"{Quote(name)} is a GNU sparse member (pax GNU.sparse records), which is not read.");
        }

        if ((type == '1' || kind == FileKind.SymbolicLink) && linkName.Length == 0)
        {
            throw new InvalidDataException($"{Quote(name)}: a {(type == '1' ? "hard" : "symbolic")} link with an empty target.");
        }

        if (kind != FileKind.RegularFile || type == '1')
        {
            if (size != 0)
            {
                throw new InvalidDataException($"{Quote(name)}: a {DescribeKind(type)} with {size} bytes of data; only regular files carry data.");
            }
        }

        uint major = 0, minor = 0;
        if (kind is FileKind.CharacterDevice or FileKind.BlockDevice)
        {
            major = (uint)Number(329, 8, "devmajor", name, uint.MaxValue);
            minor = (uint)Number(337, 8, "devminor", name, uint.MaxValue);
        }

        var header = new TarHeader(
            name, kind, mode, uid, gid, mtime, size,
            LinkName: kind == FileKind.SymbolicLink ? linkName : null,
            HardLinkTo: type == '1' ? linkName : null,
            DeviceMajor: major,
            DeviceMinor: minor);
        Stream? data = null;
        if (kind == FileKind.RegularFile && type != '1')
        {
            _current = new ArchiveEntryStream(_source, Quote(name), size);
            data = _current;
        }

        return new TarMember(header, data);
    }

    private void ReadEnd(long offset)
    {
        _ended = true;
        var second = _source.ReadAtMost(_block);
        if (second < Block)
        {
            throw new InvalidDataException($"The tar archive is cut short at offset {_source.Position}, inside its end-of-archive blocks (offset {offset}).");
        }

        if (_block.AsSpan().ContainsAnyExcept((byte)0))
        {
            throw new InvalidDataException($"The tar archive has a lone zero block at offset {offset}, followed by data.");
        }

        long padding = 0;
        int read;
        while ((read = _source.ReadAtMost(_block)) > 0)
        {
            padding += read;
            if (_block.AsSpan(0, read).ContainsAnyExcept((byte)0))
            {
                throw new InvalidDataException($"The tar archive has data after its end, at offset {_source.Position - read}.");
            }

            if (padding > MaxTrailingPadding)
            {
                throw new InvalidDataException($"The tar archive is followed by more than {MaxTrailingPadding} bytes of zeros.");
            }
        }
    }

    private void VerifyChecksum(long offset)
    {
        var stored = Number(148, 8, "checksum", $"the header at offset {offset}", 0x3FFFF);
        long unsigned = 0, signed = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : _block[i];
            unsigned += b;
            signed += (sbyte)b;
        }

        if (stored != unsigned && stored != signed)
        {
            throw new InvalidDataException($"The tar header at offset {offset} fails its checksum (stored {stored}, header gives {unsigned}).");
        }
    }

    private string HeaderName(bool gnu, long offset)
    {
        var name = Field(0, 100, "name", $"the member at offset {offset}");
        if (!gnu)
        {
            var prefix = Field(345, 155, "name prefix", $"the member at offset {offset}");
            if (prefix.Length > 0)
            {
                name = prefix + "/" + name;
            }
        }

        return name;
    }

    /// <summary>A NUL-terminated text field (the whole field when it has no NUL), which must be UTF-8.</summary>
    private string Field(int at, int length, string what, string member)
    {
        var span = _block.AsSpan(at, length);
        var end = span.IndexOf((byte)0);
        return Decode(end < 0 ? span : span[..end], $"The {what} of {member}");
    }

    /// <summary>
    /// A numeric field: octal digits (leading spaces or zeros allowed, ended by a space or NUL, or filling the field),
    /// or GNU's base-256 form (first byte 0x80, or 0xFF for a negative number). Anything else is refused.
    /// </summary>
    private long Number(int at, int length, string field, string member, long max, bool allowNegative = false)
    {
        var span = _block.AsSpan(at, length);
        long value;
        if ((span[0] & 0x80) != 0)
        {
            var negative = span[0] == 0xFF;
            if (span[0] != 0x80 && !negative)
            {
                throw BadNumber(field, member, span);
            }

            value = 0;
            for (var i = 1; i < span.Length; i++)
            {
                var b = negative ? (byte)~span[i] : span[i];
                if (value > (long.MaxValue >> 8))
                {
                    throw new InvalidDataException($"The {field} of {Quote(member)} is out of range (a base-256 number of more than 63 bits).");
                }

                value = (value << 8) | b;
            }

            if (negative)
            {
                value = -value - 1;
            }
        }
        else
        {
            var i = 0;
            while (i < span.Length && span[i] == ' ')
            {
                i++;
            }

            var start = i;
            value = 0;
            while (i < span.Length && span[i] is >= (byte)'0' and <= (byte)'7')
            {
                if (value > (long.MaxValue >> 3))
                {
                    throw new InvalidDataException($"The {field} of {Quote(member)} is out of range.");
                }

                value = (value << 3) | (long)(span[i] - '0');
                i++;
            }

            var digits = i - start;
            while (i < span.Length && span[i] is (byte)' ' or 0)
            {
                i++;
            }

            if (i != span.Length || (digits == 0 && span[start..].ContainsAnyExcept((byte)0, (byte)' ')))
            {
                throw BadNumber(field, member, span);
            }
        }

        if (value > max || (value < 0 && !allowNegative))
        {
            throw new InvalidDataException($"The {field} of {Quote(member)} is out of range ({value}).");
        }

        return value;
    }

    private static InvalidDataException BadNumber(string field, string member, ReadOnlySpan<byte> span) =>
        new($"The {field} of {Quote(member)} is not a number ('{Printable(span)}').");

    private byte[] ReadExtension(long size, string what, string member, int max)
    {
        if (size > max)
        {
            throw new InvalidDataException($"The {what} before {Quote(member)} claims {size} bytes; at most {max} are read.");
        }

        var data = new byte[size];
        _source.ReadExactly(data, $"the {what} before {Quote(member)}");
        _source.Skip(Padding(size), $"the padding after the {what} before {Quote(member)}");
        return data;
    }

    private static string LongName(byte[] data, string what, string member)
    {
        var end = Array.IndexOf(data, (byte)0);
        if (end >= 0 && data.AsSpan(end).ContainsAnyExcept((byte)0))
        {
            throw new InvalidDataException($"The {what} before {Quote(member)} holds a NUL byte.");
        }

        var name = Decode(end < 0 ? data : data.AsSpan(0, end), $"The {what} before {Quote(member)}");
        return name.Length == 0 ? throw new InvalidDataException($"The {what} before {Quote(member)} is empty.") : name;
    }

    /// <summary>Parses pax records (<c>"%d %s=%s\n"</c>, the length counting the whole record) and applies those that matter.</summary>
    private void ApplyPax(byte[] data, Pending pending, string member)
    {
        var at = 0;
        while (at < data.Length)
        {
            if (data.AsSpan(at).IndexOfAnyExcept((byte)0) < 0)
            {
                break;
            }

            var space = data.AsSpan(at, Math.Min(data.Length - at, 20)).IndexOf((byte)' ');
            if (space <= 0 || !long.TryParse(data.AsSpan(at, space), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length <= space + 3 || length > data.Length - at)
            {
                throw new InvalidDataException($"The pax header before {Quote(member)} has a malformed record at byte {at} (its length is not a number that fits).");
            }

            var record = data.AsSpan(at + space + 1, (int)length - space - 1);
            if (record[^1] != (byte)'\n')
            {
                throw new InvalidDataException($"The pax header before {Quote(member)} has a record at byte {at} that does not end in a newline.");
            }

            var equals = record.IndexOf((byte)'=');
            if (equals <= 0)
            {
                throw new InvalidDataException($"The pax header before {Quote(member)} has a record at byte {at} without a keyword.");
            }

            var keyword = Decode(record[..equals], $"A pax keyword before {Quote(member)}");
            var value = record[(equals + 1)..^1];
            Apply(keyword, value, pending, member);
            at += (int)length;
        }
    }

    private void Apply(string keyword, ReadOnlySpan<byte> value, Pending pending, string member)
    {
        switch (keyword)
        {
            case "path":
                pending.Name = PaxName(value, keyword, member);
                break;
            case "linkpath":
                pending.LinkName = PaxName(value, keyword, member);
                break;
            case "size":
                pending.Size = PaxNumber(value, keyword, member, long.MaxValue);
                break;
            case "uid":
                pending.Uid = PaxNumber(value, keyword, member, uint.MaxValue);
                break;
            case "gid":
                pending.Gid = PaxNumber(value, keyword, member, uint.MaxValue);
                break;
            case "mtime":
                pending.ModificationTime = PaxTime(value, member);
                break;
            default:
                if (keyword.StartsWith("GNU.sparse.", StringComparison.Ordinal))
                {
                    pending.Sparse = true;
                }

                break;
        }
    }

    private string PaxName(ReadOnlySpan<byte> value, string keyword, string member)
    {
        if (value.IndexOf((byte)0) >= 0)
        {
            throw new InvalidDataException($"The pax {keyword} before {Quote(member)} holds a NUL byte.");
        }

        if (value.Length > _maxNameLength)
        {
            throw new InvalidDataException($"The pax {keyword} before {Quote(member)} is {value.Length} bytes long; names are limited to {_maxNameLength}.");
        }

        return value.Length == 0
            ? throw new InvalidDataException($"The pax {keyword} before {Quote(member)} is empty.")
            : Decode(value, $"The pax {keyword} before {Quote(member)}");
    }

    private static long PaxNumber(ReadOnlySpan<byte> value, string keyword, string member, long max)
    {
        if (value.IsEmpty || value.Length > 19 || value.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > max)
        {
            throw new InvalidDataException($"The pax {keyword} before {Quote(member)} is not a number in range ('{Printable(value)}').");
        }

        return number;
    }

    private static long PaxTime(ReadOnlySpan<byte> value, string member)
    {
        var dot = value.IndexOf((byte)'.');
        var seconds = dot < 0 ? value : value[..dot];
        var negative = seconds.Length > 0 && seconds[0] == '-';
        var digits = negative ? seconds[1..] : seconds;
        if (digits.IsEmpty || digits.Length > 18 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            || (dot >= 0 && value[(dot + 1)..].ContainsAnyExceptInRange((byte)'0', (byte)'9')))
        {
            throw new InvalidDataException($"The pax mtime before {Quote(member)} is not a time ('{Printable(value)}').");
        }

        var number = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return negative ? -number : number;
    }

    private static string Decode(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{what} is not UTF-8 ('{Printable(bytes)}').");
        }
    }

    /// <summary>Bytes shown in a message: printable ASCII as is, anything else as <c>\xNN</c>, at most 64 bytes.</summary>
    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes[..Math.Min(bytes.Length, 64)])
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        }

        return bytes.Length > 64 ? text.Append("...").ToString() : text.ToString();
    }

    private static string DescribeType(char type) =>
        type is >= ' ' and < (char)0x7F ? $"'{type}'" : $"0x{(int)type:x2}";

    private static string DescribeKind(char type) => type switch
    {
        '1' => "hard link",
        '2' => "symbolic link",
        '3' => "character device",
        '4' => "block device",
        '5' => "directory",
        _ => "FIFO",
    };

    /// <summary>What pax and GNU extension headers said about the member that follows them.</summary>
    private sealed class Pending
    {
        public string? Name { get; set; }

        public string? LinkName { get; set; }

        public long? Size { get; set; }

        public long? Uid { get; set; }

        public long? Gid { get; set; }

        public long? ModificationTime { get; set; }

        public bool Sparse { get; set; }

        public bool Any => Name is not null || LinkName is not null || Size is not null || Uid is not null || Gid is not null || ModificationTime is not null || Sparse;
    }
}
