using System.Globalization;
using System.Text;

namespace XcatImageBuild.Formats.Cpio;

/// <summary>
/// Reads a newc cpio archive (<c>cpio -H newc</c>, magic <c>070701</c>) one member at a time, from a stream that
/// need not seek. Strict: a field that is not hexadecimal, a name without its NUL or longer than the bound, data of a
/// kind that has none, a name that is not UTF-8 or an archive cut anywhere before its <c>TRAILER!!!</c> is an
/// <see cref="InvalidDataException"/> naming the member or the offset. The counterpart of <see cref="CpioWriter"/>.
/// </summary>
public sealed class CpioReader : IDisposable
{
    /// <summary>The longest member name read by default, in bytes (PATH_MAX less its NUL).</summary>
    public const int DefaultMaxNameLength = 4095;

    /// <summary>The longest symbolic-link target read by default, in bytes (PATH_MAX less its NUL).</summary>
    public const int DefaultMaxLinkTargetLength = 4095;

    private const int HeaderSize = 110;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] FieldNames =
        ["ino", "mode", "uid", "gid", "nlink", "mtime", "filesize", "devmajor", "devminor", "rdevmajor", "rdevminor", "namesize", "check"];

    private readonly ArchiveSource _source;
    private readonly int _maxNameLength;
    private readonly int _maxLinkTargetLength;
    private readonly byte[] _header = new byte[HeaderSize];
    private ArchiveEntryStream? _current;
    private long _currentPadding;
    private bool _ended;

    /// <summary>Reads the archive in <paramref name="archive"/>, with names and link targets bounded as given.</summary>
    public CpioReader(Stream archive, bool leaveOpen = false, int maxNameLength = DefaultMaxNameLength, int maxLinkTargetLength = DefaultMaxLinkTargetLength)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNameLength);
        ArgumentOutOfRangeException.ThrowIfNegative(maxLinkTargetLength);
        _source = new ArchiveSource(archive, leaveOpen);
        _maxNameLength = maxNameLength;
        _maxLinkTargetLength = maxLinkTargetLength;
    }

    /// <summary>
    /// Reads the next member's header (skipping what was left of the previous member's data); null once the
    /// <c>TRAILER!!!</c> member has been read. Bytes after the trailer (GNU cpio pads to 512) are not read.
    /// </summary>
    /// <exception cref="InvalidDataException">The archive is malformed or cut short.</exception>
    public CpioEntry? GetNextEntry()
    {
        if (_ended)
        {
            return null;
        }

        if (_current is { } previous)
        {
            previous.SkipRest();
            _source.Skip(_currentPadding, $"the padding after {previous.Member}");
            _current = null;
        }

        var offset = _source.Position;
        var got = _source.ReadAtMost(_header);
        if (got < HeaderSize)
        {
            throw new InvalidDataException(got == 0
                ? $"The cpio archive ends at offset {offset} without its {CpioWriter.Trailer} member."
                : $"The cpio archive is cut short at offset {_source.Position}, inside the header that starts at offset {offset}.");
        }

        if (!_header.AsSpan(0, 6).SequenceEqual("070701"u8))
        {
            throw new InvalidDataException($"The cpio header at offset {offset} does not start with the newc magic 070701 ({DescribeMagic(_header.AsSpan(0, 6))}).");
        }

        var fields = new uint[FieldNames.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = ParseHex(_header.AsSpan(6 + (8 * i), 8), FieldNames[i], offset);
        }

        var nameSize = fields[11];
        if (nameSize <= 1)
        {
            throw new InvalidDataException($"The cpio header at offset {offset} gives a name size of {nameSize}; a name needs at least one byte and its NUL.");
        }

        if (nameSize - 1 > _maxNameLength)
        {
            throw new InvalidDataException($"The cpio header at offset {offset} gives a name of {nameSize - 1} bytes; names are limited to {_maxNameLength}.");
        }

        var nameBytes = new byte[nameSize];
        _source.ReadExactly(nameBytes, $"the name of the member at offset {offset}");
        if (nameBytes[^1] != 0 || Array.IndexOf(nameBytes, (byte)0) != nameBytes.Length - 1)
        {
            throw new InvalidDataException($"The name of the cpio member at offset {offset} is not a single NUL-terminated string of {nameSize} bytes.");
        }

        var name = DecodeName(nameBytes.AsSpan(0, nameBytes.Length - 1), $"The name of the cpio member at offset {offset}");
        _source.Skip(Pad4(HeaderSize + nameSize) - (HeaderSize + nameSize), $"the padding after the name {Quote(name)}");

        var mode = fields[1];
        var size = fields[6];
        var header = new CpioHeader(name, fields[0], (int)mode, fields[2], fields[3], (int)Math.Min(fields[4], int.MaxValue), fields[5], size, fields[9], fields[10]);
        if (name == CpioWriter.Trailer)
        {
            _source.Skip(Pad4(size), $"the data of {CpioWriter.Trailer}");
            _ended = true;
            return null;
        }

        var kind = KindOf(mode, name);
        string? linkTarget = null;
        Stream? data = null;
        var padding = Pad4(size) - size;
        switch (kind)
        {
            case FileKind.SymbolicLink:
                if (size == 0 || size > _maxLinkTargetLength)
                {
                    throw new InvalidDataException(size == 0
                        ? $"{Quote(name)}: a symbolic link with an empty target."
                        : $"{Quote(name)}: a symbolic link target of {size} bytes; targets are limited to {_maxLinkTargetLength}.");
                }

                var target = new byte[size];
                _source.ReadExactly(target, $"the link target of {Quote(name)}");
                if (Array.IndexOf(target, (byte)0) >= 0)
                {
                    throw new InvalidDataException($"{Quote(name)}: the symbolic link target holds a NUL byte.");
                }

                linkTarget = DecodeName(target, $"{Quote(name)}: the symbolic link target");
                _source.Skip(padding, $"the padding after {Quote(name)}");
                break;
            case FileKind.RegularFile:
                _current = new ArchiveEntryStream(_source, Quote(name), size);
                _currentPadding = padding;
                data = size > 0 ? _current : null;
                break;
            default:
                if (size != 0)
                {
                    throw new InvalidDataException($"{Quote(name)}: a {Describe(kind)} with {size} bytes of data; only files and symbolic links carry data.");
                }

                break;
        }

        return new CpioEntry(header, kind, (fields[7], fields[8]), linkTarget, data);
    }

    public void Dispose() => _source.Dispose();

    private static string Quote(string name) => $"'{name}'";

    private static long Pad4(long n) => (n + 3) & ~3L;

    private static uint ParseHex(ReadOnlySpan<byte> digits, string field, long offset)
    {
        uint value = 0;
        foreach (var digit in digits)
        {
            var nibble = digit switch
            {
                >= (byte)'0' and <= (byte)'9' => digit - '0',
                >= (byte)'A' and <= (byte)'F' => digit - 'A' + 10,
                >= (byte)'a' and <= (byte)'f' => digit - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                throw new InvalidDataException(
                    $"The cpio header at offset {offset} has a {field} field that is not hexadecimal ('{Encoding.ASCII.GetString(digits).Replace("\0", "\\0", StringComparison.Ordinal)}').");
            }

            value = (value << 4) | (uint)nibble;
        }

        return value;
    }

    private static FileKind KindOf(uint mode, string name) => (mode & 0xF000) switch
    {
        0x8000 => FileKind.RegularFile,
        0x4000 => FileKind.Directory,
        0xA000 => FileKind.SymbolicLink,
        0x2000 => FileKind.CharacterDevice,
        0x6000 => FileKind.BlockDevice,
        0x1000 => FileKind.Fifo,
        0xC000 => FileKind.Socket,
        _ => throw new InvalidDataException($"{Quote(name)}: the mode {mode.ToString("o", CultureInfo.InvariantCulture)} names no file type."),
    };

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Directory => "directory",
        FileKind.CharacterDevice => "character device",
        FileKind.BlockDevice => "block device",
        FileKind.Fifo => "FIFO",
        _ => "socket",
    };

    private static string DescribeMagic(ReadOnlySpan<byte> magic) => magic switch
    {
        _ when magic.SequenceEqual("070702"u8) => "it is the newc-with-checksum form, 070702, which is not read",
        _ when magic.SequenceEqual("070707"u8) => "it is the old portable form, 070707, which is not read",
        _ when magic[0] == 0xC7 && magic[1] == 0x71 || magic[0] == 0x71 && magic[1] == 0xC7 => "it is the old binary form, which is not read",
        _ => "found " + Convert.ToHexString(magic),
    };

    private static string DecodeName(ReadOnlySpan<byte> bytes, string what)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new InvalidDataException($"{what} is not UTF-8 ({Convert.ToHexString(bytes[..Math.Min(bytes.Length, 32)])}{(bytes.Length > 32 ? "..." : string.Empty)}).");
        }
    }
}
