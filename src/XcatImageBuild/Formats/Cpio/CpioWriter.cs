using System.Text;

namespace XcatImageBuild.Formats.Cpio;

/// <summary>
/// Writes a cpio archive in the SVR4 "newc" format (<c>cpio -H newc</c>, the kernel's initramfs format) to a stream,
/// one member at a time. Knows bytes, not files: the caller supplies each member's header fields and data.
/// </summary>
public sealed class CpioWriter : IDisposable
{
    /// <summary>The name of the last member; readers stop there.</summary>
    public const string Trailer = "TRAILER!!!";

    private const int HeaderSize = 110;
    private static readonly byte[] Padding = new byte[4];
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly byte[] _header = new byte[HeaderSize + 4096 + 4];
    private bool _finished;

    public CpioWriter(Stream output, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
        _leaveOpen = leaveOpen;
    }

    /// <summary>
    /// Writes one member: its header and name, then <see cref="CpioHeader.DataLength"/> bytes copied from
    /// <paramref name="data"/> (a symlink's target is its data). newc stores a hard-linked file's data once: members
    /// that share an inode carry the same <c>ino</c> and <c>nlink</c>, and all but one have no data.
    /// </summary>
    /// <exception cref="InvalidDataException">A field does not fit, or the data ends early.</exception>
    public void WriteEntry(CpioHeader entry, Stream? data)
    {
        ArgumentNullException.ThrowIfNull(entry.Name);
        var name = entry.Name;
        var nameLength = Encoding.UTF8.GetByteCount(name) + 1;
        var header = nameLength + HeaderSize + 3 <= _header.Length ? _header : new byte[nameLength + HeaderSize + 3];
        var span = header.AsSpan();
        "070701"u8.CopyTo(span);
        var at = 6;
        foreach (var field in new[]
        {
            entry.Inode, entry.Mode, entry.Uid, entry.Gid, entry.Links, Math.Max(entry.ModificationTime, 0), entry.DataLength,
            0, 0, entry.DeviceMajor, entry.DeviceMinor, nameLength, 0,
        })
        {
            if (field is < 0 or > uint.MaxValue)
            {
                throw new InvalidDataException($"{name}: a cpio newc field cannot hold {field} (files of 4 GiB or more need -m tar).");
            }

            Hex8((uint)field, span[at..]);
            at += 8;
        }

        var written = Encoding.UTF8.GetBytes(name, span[HeaderSize..]);
        span[HeaderSize + written] = 0;
        var total = (int)Pad4(HeaderSize + nameLength);
        span[(HeaderSize + nameLength)..total].Clear();
        _output.Write(header, 0, total);
        if (entry.DataLength > 0)
        {
            EntryData.CopyExactly(data ?? throw new ArgumentNullException(nameof(data)), _output, entry.DataLength, name);
            var padding = (int)(Pad4(entry.DataLength) - entry.DataLength);
            _output.Write(Padding, 0, padding);
        }
    }

    /// <summary>Writes the trailer member. The archive is complete afterwards.</summary>
    public void Finish()
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        WriteEntry(new CpioHeader(Trailer, 0, 0, 0, 0, 1, 0, 0), null);
    }

    public void Dispose()
    {
        Finish();
        if (!_leaveOpen)
        {
            _output.Dispose();
        }
    }

    private static long Pad4(long n) => (n + 3) & ~3L;

    private static void Hex8(uint value, Span<byte> into)
    {
        for (var i = 7; i >= 0; i--)
        {
            into[i] = (byte)"0123456789ABCDEF"[(int)(value & 0xF)];
            value >>= 4;
        }
    }
}
