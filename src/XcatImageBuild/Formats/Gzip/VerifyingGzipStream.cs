using System.Buffers.Binary;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// Decompresses a gzip file (RFC 1952), every member of it, and checks what <c>gzip -t</c> checks: each member's
/// header, its CRC-32 and its length trailer. A file cut anywhere (in a header, in the deflate data, in a trailer)
/// and bytes after the last member that are not another member are <see cref="InvalidDataException"/>s that say
/// which member and offset; they are never taken for the end of the data. Read-only and forward-only.
/// </summary>
public sealed unsafe class VerifyingGzipStream : ReadOnlyStream
{
    private const int InputSize = 1 << 16;
    private const int FlagHeaderCrc = 0x02;
    private const int FlagExtra = 0x04;
    private const int FlagName = 0x08;
    private const int FlagComment = 0x10;

    private readonly Stream _compressed;
    private readonly bool _leaveOpen;
    private readonly ZlibInflater _inflater = new();
    private readonly byte* _input = (byte*)NativeMemory.Alloc(InputSize);
    private readonly Crc32 _crc = new();
    private long _sourceRead;
    private long _memberLength;
    private int _member;
    private State _state = State.Header;
    private bool _disposed;

    /// <summary>Reads the gzip data in <paramref name="compressed"/>.</summary>
    public VerifyingGzipStream(Stream compressed, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        _compressed = compressed;
        _leaveOpen = leaveOpen;
    }

    private enum State
    {
        Header,
        Data,
        Ended,
    }

    /// <summary>Compressed bytes consumed so far (what a bound on the ratio of unpacked to packed bytes compares with).</summary>
    public long CompressedBytesRead => _sourceRead - _inflater.InputLeft;

    /// <summary>Decompressed bytes returned so far.</summary>
    public long DecompressedBytesRead { get; private set; }

    protected override long BytesRead => DecompressedBytesRead;

    /// <exception cref="InvalidDataException">The gzip data is corrupt, cut short or followed by something else.</exception>
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!buffer.IsEmpty)
        {
            switch (_state)
            {
                case State.Ended:
                    return 0;
                case State.Header:
                    if (!ReadHeader())
                    {
                        _state = State.Ended;
                        return 0;
                    }

                    _state = State.Data;
                    break;
                default:
                    var produced = InflateSome(buffer);
                    if (produced > 0)
                    {
                        return produced;
                    }

                    break;
            }
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            _inflater.Dispose();
            NativeMemory.Free(_input);
            if (disposing && !_leaveOpen)
            {
                _compressed.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>Reads a member header; false at the clean end of the file after a complete member.</summary>
    private bool ReadHeader()
    {
        var start = CompressedBytesRead;
        var first = NextByte();
        if (first < 0)
        {
            if (_member == 0)
            {
                throw new InvalidDataException("The file is empty; a gzip file has at least one member.");
            }

            return false;
        }

        var second = NextByte();
        if (first != 0x1F || second != 0x8B)
        {
            throw new InvalidDataException(_member == 0
                ? "The file does not start with the gzip magic 1f 8b."
                : $"The {_member} gzip member(s) are followed by bytes that are not a gzip member, at offset {start}.");
        }

        _member++;
        var headerCrc = new Crc32();
        headerCrc.Append([0x1F, 0x8B]);
        Span<byte> fixedPart = stackalloc byte[8];
        Take(fixedPart, "header", headerCrc);
        var method = fixedPart[0];
        var flags = fixedPart[1];
        if (method != 8)
        {
            throw new InvalidDataException($"gzip member {_member} (offset {start}) uses compression method {method}; only deflate (8) exists.");
        }

        if ((flags & 0xE0) != 0)
        {
            throw new InvalidDataException($"gzip member {_member} (offset {start}) sets reserved header flags (0x{flags:x2}).");
        }

        if ((flags & FlagExtra) != 0)
        {
            Span<byte> length = stackalloc byte[2];
            Take(length, "header's extra field", headerCrc);
            SkipBytes(BinaryPrimitives.ReadUInt16LittleEndian(length), headerCrc);
        }

        if ((flags & FlagName) != 0)
        {
            SkipString("file name", headerCrc);
        }

        if ((flags & FlagComment) != 0)
        {
            SkipString("comment", headerCrc);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            var expected = (ushort)headerCrc.GetCurrentHashAsUInt32();
            Span<byte> stored = stackalloc byte[2];
            Take(stored, "header CRC", null);
            if (BinaryPrimitives.ReadUInt16LittleEndian(stored) != expected)
            {
                throw new InvalidDataException($"gzip member {_member} (offset {start}) has a header CRC that does not match its header.");
            }
        }

        _inflater.Reset();
        _crc.Reset();
        _memberLength = 0;
        return true;
    }

    private int InflateSome(Span<byte> buffer)
    {
        if (_inflater.InputLeft == 0 && !Refill())
        {
            throw new InvalidDataException($"The gzip data is cut short at offset {_sourceRead}, inside the compressed data of member {_member}.");
        }

        var result = _inflater.Inflate(buffer, out var written);
        if (result == ZlibInflater.Result.DataError)
        {
            throw new InvalidDataException($"gzip member {_member} holds invalid deflate data near offset {CompressedBytesRead} ({_inflater.ErrorMessage}).");
        }

        _crc.Append(buffer[..written]);
        _memberLength += written;
        DecompressedBytesRead += written;
        if (result == ZlibInflater.Result.StreamEnd)
        {
            VerifyTrailer();
            _state = State.Header;
        }

        return written;
    }

    private void VerifyTrailer()
    {
        Span<byte> trailer = stackalloc byte[8];
        Take(trailer, "trailer (CRC-32 and length)", null);
        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (crc != _crc.GetCurrentHashAsUInt32())
        {
            throw new InvalidDataException(
                $"gzip member {_member} fails its CRC-32 check (stored {crc:x8}, data gives {_crc.GetCurrentHashAsUInt32():x8}): the data is corrupt.");
        }

        if (length != (uint)_memberLength)
        {
            throw new InvalidDataException(
                $"gzip member {_member} fails its length check (stored {length} bytes mod 2^32, data gives {(uint)_memberLength}): the data is corrupt.");
        }
    }

    private void Take(Span<byte> into, string what, Crc32? crc)
    {
        for (var i = 0; i < into.Length; i++)
        {
            var b = NextByte();
            if (b < 0)
            {
                throw new InvalidDataException($"The gzip data is cut short at offset {_sourceRead}, inside the {what} of member {_member}.");
            }

            into[i] = (byte)b;
        }

        crc?.Append(into);
    }

    private void SkipBytes(int count, Crc32 crc)
    {
        Span<byte> one = stackalloc byte[1];
        for (var i = 0; i < count; i++)
        {
            Take(one, "header's extra field", crc);
        }
    }

    private void SkipString(string what, Crc32 crc)
    {
        Span<byte> one = stackalloc byte[1];
        do
        {
            Take(one, $"header's {what}", crc);
        }
        while (one[0] != 0);
    }

    private int NextByte() => _inflater.InputLeft > 0 || Refill() ? _inflater.TakeInputByte() : -1;

    private bool Refill()
    {
        var read = _compressed.Read(new Span<byte>(_input, InputSize));
        _sourceRead += read;
        _inflater.SetInput(_input, read);
        return read > 0;
    }
}
