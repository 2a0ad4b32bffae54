using System.Globalization;
using System.Text;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// Writes tar bytes header by header, with nothing checked, so tests can build the malformed and hostile archives
/// no tar library would write: numbers that are not numbers, pax records with NUL bytes, headers that claim
/// gigabytes, names that are not UTF-8, wrong checksums. Headers are GNU (<c>ustar  \0</c>) as xCAT's tar writes them.
/// </summary>
public sealed class RawTar
{
    private readonly MemoryStream _output = new();

    /// <summary>One header and its data (padded to 512); <paramref name="tamper"/> edits the block after its checksum is set.</summary>
    public RawTar Member(byte[] name, char type, long size, byte[]? data = null, string link = "", Action<byte[]>? tamper = null)
    {
        var block = new byte[512];
        name.AsSpan(0, Math.Min(name.Length, 100)).CopyTo(block);
        Octal(block, 100, 8, 0x1A4);
        Octal(block, 108, 8, 0);
        Octal(block, 116, 8, 0);
        if (size < 0x1FFFFFFFF)
        {
            Octal(block, 124, 12, size);
        }
        else
        {
            block[124] = 0x80;
            for (var i = 0; i < 8; i++)
            {
                block[135 - i] = (byte)(size >> (8 * i));
            }
        }

        Octal(block, 136, 12, 1_767_225_600);
        block[156] = (byte)type;
        Encoding.UTF8.GetBytes(link).CopyTo(block, 157);
        "ustar  \0"u8.CopyTo(block.AsSpan(257));
        SetChecksum(block);
        tamper?.Invoke(block);
        _output.Write(block);
        if (data is not null)
        {
            _output.Write(data);
            _output.Write(new byte[(512 - (data.Length % 512)) % 512]);
        }

        return this;
    }

    public RawTar Member(string name, char type, long size = 0, byte[]? data = null, string link = "", Action<byte[]>? tamper = null) =>
        Member(Encoding.UTF8.GetBytes(name), type, size, data, link, tamper);

    public RawTar Directory(string name) => Member(name, '5');

    public RawTar File(string name, string content) => Member(name, '0', Encoding.UTF8.GetByteCount(content), Encoding.UTF8.GetBytes(content));

    public RawTar Symlink(string name, string target) => Member(name, '2', link: target);

    /// <summary>A pax extended header holding <paramref name="records"/>, each <c>"%d key=value\n"</c> with its true length.</summary>
    public RawTar Pax(params (string Key, byte[] Value)[] records)
    {
        var data = new MemoryStream();
        foreach (var (key, value) in records)
        {
            var body = Encoding.UTF8.GetByteCount(key) + value.Length + 3;
            var length = body + body.ToString(CultureInfo.InvariantCulture).Length;
            length = body + length.ToString(CultureInfo.InvariantCulture).Length;
            data.Write(Encoding.UTF8.GetBytes($"{length} {key}="));
            data.Write(value);
            data.WriteByte((byte)'\n');
        }

        var bytes = data.ToArray();
        return Member("./PaxHeaders/member", 'x', bytes.Length, bytes);
    }

    /// <summary>The archive so far, without the end blocks.</summary>
    public byte[] Unfinished() => _output.ToArray();

    /// <summary>The archive with its two zero blocks.</summary>
    public byte[] Finish() => [.. _output.ToArray(), .. new byte[1024]];

    public static void SetChecksum(byte[] block)
    {
        block.AsSpan(148, 8).Fill((byte)' ');
        var sum = block.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(block, 148);
    }

    private static void Octal(byte[] block, int at, int length, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(length - 1, '0') + "\0").CopyTo(block, at);
}
