using System.Globalization;
using System.Text;

namespace XcatImageBuild.Formats.Tar;

/// <summary>
/// Writes a POSIX pax tar archive, one member at a time: a ustar header per member, preceded by a pax extended header
/// when a name or link is too long for ustar, a number too large for its field, or the member has extended attributes
/// (binary values such as <c>security.capability</c> are stored byte for byte, as GNU tar stores them).
/// System.Formats.Tar takes pax values as strings, which cannot carry such bytes, hence this writer.
/// </summary>
public sealed class PaxTarWriter : IDisposable
{
    private const int Block = 512;
    private const long MaxOctal11 = 0x1FFFFFFFF; // 8^11 - 1
    private const long MaxOctal7 = 0x1FFFFF; // 8^7 - 1
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[Block];
    private bool _finished;

    public PaxTarWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>Writes one member and <see cref="TarHeader.DataLength"/> bytes of data copied from <paramref name="data"/>.</summary>
    /// <exception cref="InvalidDataException">The data ends early.</exception>
    public void WriteEntry(TarHeader entry, Stream? data)
    {
        ArgumentNullException.ThrowIfNull(entry.Name);
        var records = new List<(string Key, byte[] Value)>();
        var name = Encoding.UTF8.GetBytes(entry.Name);
        var link = Encoding.UTF8.GetBytes(entry.HardLinkTo ?? entry.LinkName ?? string.Empty);
        if (name.Length > 100 || !IsAscii(name))
        {
            records.Add(("path", name));
        }

        if (link.Length > 100 || !IsAscii(link))
        {
            records.Add(("linkpath", link));
        }

        if (entry.DataLength > MaxOctal11)
        {
            records.Add(("size", Ascii(entry.DataLength)));
        }

        if (entry.Uid > MaxOctal7)
        {
            records.Add(("uid", Ascii(entry.Uid)));
        }

        if (entry.Gid > MaxOctal7)
        {
            records.Add(("gid", Ascii(entry.Gid)));
        }

        foreach (var (attribute, value) in entry.ExtendedAttributes ?? [])
        {
            records.Add(("SCHILY.xattr." + attribute, value));
        }

        if (records.Count > 0)
        {
            var pax = PaxData(records);
            var paxName = "./PaxHeaders/" + Path.GetFileName(entry.Name.TrimEnd('/'));
            WriteHeader(Truncate(paxName), 'x', 0x1A4, 0, 0, entry.ModificationTime, pax.Length, string.Empty, 0, 0, null, null);
            _output.Write(pax);
            Pad(pax.Length);
        }

        var type = entry.HardLinkTo is not null ? '1' : entry.Kind switch
        {
            FileKind.RegularFile => '0',
            FileKind.SymbolicLink => '2',
            FileKind.CharacterDevice => '3',
            FileKind.BlockDevice => '4',
            FileKind.Directory => '5',
            FileKind.Fifo => '6',
            _ => throw new InvalidDataException($"{entry.Name}: tar cannot hold a {entry.Kind}."),
        };
        WriteHeader(
            Truncate(entry.Name), type, entry.Mode, Math.Min(entry.Uid, MaxOctal7), Math.Min(entry.Gid, MaxOctal7), entry.ModificationTime,
            Math.Min(entry.DataLength, MaxOctal11), Truncate(entry.HardLinkTo ?? entry.LinkName ?? string.Empty), entry.DeviceMajor, entry.DeviceMinor,
            entry.UserName, entry.GroupName);
        if (entry.DataLength > 0)
        {
            EntryData.CopyExactly(data ?? throw new ArgumentNullException(nameof(data)), _output, entry.DataLength, entry.Name);
            Pad(entry.DataLength);
        }
    }

    /// <summary>Writes the two zero blocks that end a tar archive.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        _output.Write(new byte[Block * 2]);
    }

    public void Dispose()
    {
        Finish();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private void WriteHeader(
        string name, char type, int mode, long uid, long gid, long mtime, long size, string link, uint major, uint minor, string? user, string? group)
    {
        var h = _header.AsSpan();
        h.Clear();
        Encoding.UTF8.GetBytes(name, h[..100]);
        Octal(mode, h.Slice(100, 8));
        Octal(uid, h.Slice(108, 8));
        Octal(gid, h.Slice(116, 8));
        Octal(size, h.Slice(124, 12));
        Octal(Math.Clamp(mtime, 0, MaxOctal11), h.Slice(136, 12));
        h[156] = (byte)type;
        Encoding.UTF8.GetBytes(link, h.Slice(157, 100));
        "ustar\0"u8.CopyTo(h[257..]);
        "00"u8.CopyTo(h[263..]);
        Encoding.ASCII.GetBytes(user ?? string.Empty, h.Slice(265, 32));
        Encoding.ASCII.GetBytes(group ?? string.Empty, h.Slice(297, 32));
        Octal(major, h.Slice(329, 8));
        Octal(minor, h.Slice(337, 8));
        // The checksum is computed with its own field read as eight spaces.
        h.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in h)
        {
            sum += b;
        }

        Octal(sum, h.Slice(148, 7));
        _output.Write(_header);
    }

    // "<length> <key>=<value>\n", where length counts the whole record including its own digits.
    private static byte[] PaxData(List<(string Key, byte[] Value)> records)
    {
        using var buffer = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var rest = Encoding.UTF8.GetByteCount(key) + value.Length + 3; // ' ', '=', '\n'
            var length = rest + 1;
            while (length.ToString(CultureInfo.InvariantCulture).Length + rest != length)
            {
                length++;
            }

            buffer.Write(Encoding.ASCII.GetBytes(length.ToString(CultureInfo.InvariantCulture) + " " + key + "="));
            buffer.Write(value);
            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }

    private void Pad(long length)
    {
        var padding = (int)((Block - (length % Block)) % Block);
        if (padding > 0)
        {
            _output.Write(new byte[padding]);
        }
    }

    // Octal digits, zero-padded, leaving the last byte of the field as NUL.
    private static void Octal(long value, Span<byte> field)
    {
        for (var i = field.Length - 2; i >= 0; i--)
        {
            field[i] = (byte)('0' + (value & 7));
            value >>= 3;
        }

        field[^1] = 0;
    }

    private static bool IsAscii(byte[] bytes) => bytes.All(b => b is > 0 and < 0x80);

    private static byte[] Ascii(long value) => Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture));

    // The ustar field keeps what fits; the pax record holds the whole name.
    private static string Truncate(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        return bytes.Length <= 100 && IsAscii(bytes) ? name : Encoding.ASCII.GetString(bytes.Take(100).Select(b => b < 0x80 ? b : (byte)'_').ToArray());
    }
}
