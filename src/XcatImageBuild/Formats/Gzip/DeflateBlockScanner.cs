using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// Walks a raw deflate stream (RFC 1951) block by block without producing its output, to find where its final block
/// starts and where the stream ends, both as bit offsets. Stored blocks are skipped by their length; fixed and dynamic
/// blocks are walked without decoding what the symbols mean: a skip table per block, indexed by the next 12 bits, says
/// how many bits the literals there take (several at once), or a length code with its extra bits, or the end of the
/// block, and a second table how many bits a distance code takes with its extra bits; nothing is copied and no value is
/// computed. Codes longer than the tables fall back to a symbol-by-symbol decode. This is what lets a compressor
/// without a sync flush (libdeflate) feed one gzip member: the final block's BFINAL bit is cleared and the stream
/// continued at the next byte after an empty stored block.
/// </summary>
internal static class DeflateBlockScanner
{
    /// <summary>The bytes <see cref="EndWithSyncFlush"/> may add past the stream's end.</summary>
    public const int SyncFlushRoom = 5;

    // Bits the first-level lookup tables index; longer codes continue in a second-level table.
    private const int LitLenTableBits = 10;
    private const int DistanceTableBits = 8;
    private const int CodeLengthTableBits = 7;
    private const int SkipBits = 11;
    private const int DistanceSkipBits = DistanceTableBits;
    private const int MaxCodeLength = 15;
    private const int EndOfBlock = 256;

    // A table entry: the symbol in the high 16 bits, the code's length in bits in the low 8; a first-level entry whose
    // bit 8 is set points instead at a second-level table (its offset in the high 16 bits, its index bits in bits 9-12).
    // A zero entry is a code the (incomplete) Huffman code does not have.
    private const uint SubtableFlag = 1 << 8;

    // A skip table entry: the bits to drop in the low 8 bits, and what they held in bits 8-9: literals only, literals
    // then a length code and its extra bits (a distance follows), literals then the end of the block, or nothing the
    // table can say (a code longer than the bits left, or one the code does not have) — decode one symbol the slow way.
    private const uint SkipLiterals = 0;
    private const uint SkipLength = 1 << 8;
    private const uint SkipEnd = 2 << 8;
    private const uint SkipSlow = 3 << 8;
    private const uint SkipKind = 3 << 8;

    // Most bits one fast step takes: a skip table entry (11) and a distance code with its extra bits (15 + 13).
    private const int FastStepBits = SkipBits + MaxCodeLength + 13;

    private static readonly byte[] CodeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    // Extra bits of length symbols 257..285 and of distance symbols 0..29.
    private static readonly byte[] LengthExtraBits = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
    private static readonly byte[] DistanceExtraBits = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

    private static readonly uint[] FixedLitLen = BuildFixed(litLen: true);
    private static readonly uint[] FixedDistance = BuildFixed(litLen: false);
    private static readonly uint[] FixedSkip = BuildFixedSkip();
    private static readonly uint[] FixedDistanceSkip = BuildDistanceSkip(FixedDistance, new uint[1 << DistanceSkipBits]);

    // The tables a scan fills per dynamic block, kept per thread: a pack scans one piece per megabyte.
    [ThreadStatic]
    private static Tables? _tables;

    /// <summary>
    /// The bit offset of the final block's header (its BFINAL bit) and the bit offset just past the final block's
    /// end, counting from the lowest bit of the first byte.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not a complete deflate stream.</exception>
    public static (long FinalBlockBit, long EndBit) Scan(ReadOnlySpan<byte> deflate)
    {
        var reader = new BitReader(deflate);
        var tables = _tables ??= new Tables();
        while (true)
        {
            var header = reader.Position;
            reader.Refill();
            var final = reader.Take(1) == 1;
            switch (reader.Take(2))
            {
                case 0:
                    SkipStored(ref reader);
                    break;
                case 1:
                    SkipSymbols(ref reader, FixedSkip, FixedDistanceSkip, FixedLitLen, FixedDistance);
                    break;
                case 2:
                    var litLenCount = ReadDynamicCodes(ref reader, tables.LitLen, tables.Distance, tables.Lengths);
                    BuildSkip(tables.Lengths.AsSpan(0, litLenCount), tables.Skip);
                    BuildDistanceSkip(tables.Distance, tables.DistanceSkip);
                    SkipSymbols(ref reader, tables.Skip, tables.DistanceSkip, tables.LitLen, tables.Distance);
                    break;
                default:
                    throw new InvalidDataException($"Invalid deflate block type at bit {header}.");
            }

            if (reader.Position > (long)deflate.Length * 8)
            {
                throw new InvalidDataException("The deflate stream ends before its final block does.");
            }

            if (final)
            {
                return (header, reader.Position);
            }
        }
    }

    /// <summary>
    /// Turns the complete deflate stream in <paramref name="buffer"/>[..<paramref name="length"/>] into one that can be
    /// continued: its final block's BFINAL bit is cleared, and after that block an empty non-final stored block (three
    /// zero bits, zeros to the byte boundary, then 00 00 FF FF: what a zlib sync flush ends with) brings the stream to a
    /// byte boundary, so the next piece can follow byte for byte. Returns the new length; <paramref name="buffer"/> needs
    /// <see cref="SyncFlushRoom"/> bytes past <paramref name="length"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not a complete deflate stream.</exception>
    public static int EndWithSyncFlush(Span<byte> buffer, int length)
    {
        var (final, end) = Scan(buffer[..length]);
        buffer[(int)(final >> 3)] &= (byte)~(1 << (int)(final & 7));
        // The stored block's header (BFINAL 0, BTYPE 00) is three zero bits, and what follows up to the byte boundary is
        // padding: everything from the stream's end to there is zero.
        var stored = (int)((end + 3 + 7) >> 3);
        var at = (int)(end >> 3);
        buffer[at] &= (byte)((1 << (int)(end & 7)) - 1);
        buffer[(at + 1)..stored].Clear();
        buffer[stored] = 0;
        buffer[stored + 1] = 0;
        buffer[stored + 2] = 0xFF;
        buffer[stored + 3] = 0xFF;
        return stored + 4;
    }

    private static void SkipStored(ref BitReader reader)
    {
        reader.AlignToByte();
        reader.Refill();
        var length = (int)reader.Take(16);
        var complement = (int)reader.Take(16);
        if ((length ^ 0xFFFF) != complement)
        {
            throw new InvalidDataException("A stored deflate block's length does not match its complement.");
        }

        reader.SkipBytes(length);
    }

    // Reads a dynamic block's code lengths into the lookup tables; returns the number of literal/length codes.
    private static int ReadDynamicCodes(ref BitReader reader, uint[] litLen, uint[] distance, byte[] lengths)
    {
        reader.Refill();
        var litLenCount = (int)reader.Take(5) + 257;
        var distanceCount = (int)reader.Take(5) + 1;
        var codeLengthCount = (int)reader.Take(4) + 4;
        if (litLenCount > 286 || distanceCount > 30)
        {
            throw new InvalidDataException("A dynamic deflate block declares too many codes.");
        }

        Span<byte> codeLengthLengths = stackalloc byte[19];
        codeLengthLengths.Clear();
        for (var i = 0; i < codeLengthCount; i++)
        {
            reader.Refill();
            codeLengthLengths[CodeLengthOrder[i]] = (byte)reader.Take(3);
        }

        var codeLengthTable = new uint[1 << CodeLengthTableBits];
        Build(codeLengthLengths, codeLengthTable, CodeLengthTableBits);
        var total = litLenCount + distanceCount;
        for (var i = 0; i < total;)
        {
            reader.Refill();
            var symbol = Decode(ref reader, codeLengthTable, CodeLengthTableBits);
            if (symbol < 16)
            {
                lengths[i++] = (byte)symbol;
                continue;
            }

            var (value, repeat) = symbol switch
            {
                16 when i > 0 => (lengths[i - 1], 3 + (int)reader.Take(2)),
                17 => ((byte)0, 3 + (int)reader.Take(3)),
                18 => ((byte)0, 11 + (int)reader.Take(7)),
                _ => throw new InvalidDataException("A dynamic deflate block repeats a code length before the first."),
            };
            if (i + repeat > total)
            {
                throw new InvalidDataException("A dynamic deflate block's code lengths overrun its codes.");
            }

            lengths.AsSpan(i, repeat).Fill(value);
            i += repeat;
        }

        if (lengths[EndOfBlock] == 0)
        {
            throw new InvalidDataException("A dynamic deflate block has no end-of-block code.");
        }

        Array.Clear(litLen);
        Array.Clear(distance);
        Build(lengths.AsSpan(0, litLenCount), litLen, LitLenTableBits);
        Build(lengths.AsSpan(litLenCount, distanceCount), distance, DistanceTableBits);
        return litLenCount;
    }

    // The hot loop keeps the bit buffer in locals (a ref struct's fields would be read and written through memory at
    // every step) and hands it back to the reader around the slow decodes.
    private static void SkipSymbols(ref BitReader reader, uint[] skip, uint[] distanceSkip, uint[] litLen, uint[] distance)
    {
        ref var skipTable = ref MemoryMarshal.GetArrayDataReference(skip);
        ref var distanceTable = ref MemoryMarshal.GetArrayDataReference(distanceSkip);
        var data = reader.Data;
        ref var start = ref MemoryMarshal.GetReference(data);
        var (bits, count, next) = reader.State;
        while (true)
        {
            if (count < FastStepBits)
            {
                if (next + 8 <= data.Length)
                {
                    bits |= Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, next)) << count;
                    next += (63 - count) >> 3;
                    count |= 56;
                }
                else
                {
                    reader.State = (bits, count, next);
                    reader.Refill();
                    (bits, count, next) = reader.State;
                }
            }

            var entry = Unsafe.Add(ref skipTable, (int)(bits & ((1u << SkipBits) - 1)));
            var used = (int)(entry & 0xFF);
            bits >>= used;
            count -= used;
            switch (entry & SkipKind)
            {
                case SkipLiterals:
                    continue;
                case SkipLength:
                    var distanceBits = (int)Unsafe.Add(ref distanceTable, (int)(bits & ((1u << DistanceSkipBits) - 1)));
                    if (distanceBits != 0)
                    {
                        bits >>= distanceBits;
                        count -= distanceBits;
                    }
                    else
                    {
                        reader.State = (bits, count, next);
                        SkipDistance(ref reader, distance);
                        (bits, count, next) = reader.State;
                    }

                    continue;
                case SkipEnd:
                    reader.State = (bits, count, next);
                    return;
                default:
                    reader.State = (bits, count, next);
                    if (SkipSymbol(ref reader, litLen, distance))
                    {
                        return;
                    }

                    (bits, count, next) = reader.State;
                    continue;
            }
        }
    }

    // One symbol decoded in full (a code longer than the skip table, or one the code lacks, which throws); true at the
    // end of the block.
    private static bool SkipSymbol(ref BitReader reader, uint[] litLen, uint[] distance)
    {
        // One literal/length code (15 bits), its extra bits (5), a distance code (15) and its extra bits (13) fit the 56
        // bits a refill guarantees.
        reader.Refill();
        var symbol = Decode(ref reader, litLen, LitLenTableBits);
        if (symbol < EndOfBlock)
        {
            return false;
        }

        if (symbol == EndOfBlock)
        {
            return true;
        }

        if (symbol > 285)
        {
            throw new InvalidDataException($"Invalid deflate length symbol {symbol}.");
        }

        reader.Drop(LengthExtraBits[symbol - 257]);
        SkipDistance(ref reader, distance);
        return false;
    }

    private static void SkipDistance(ref BitReader reader, uint[] distance)
    {
        var distanceSymbol = Decode(ref reader, distance, DistanceTableBits);
        if (distanceSymbol > 29)
        {
            throw new InvalidDataException($"Invalid deflate distance symbol {distanceSymbol}.");
        }

        reader.Drop(DistanceExtraBits[distanceSymbol]);
    }

    // The skip table of a literal/length code, filled from the code lengths as a Huffman lookup table is: each code of at
    // most SkipBits bits fills the slots it prefixes with its length (a length code's extra bits added when they fit);
    // then each literal slot whose remaining bits hold another whole literal takes both. Longer codes are left slow.
    private static void BuildSkip(ReadOnlySpan<byte> lengths, uint[] skip)
    {
        Span<int> count = stackalloc int[MaxCodeLength + 1];
        count.Clear();
        foreach (var length in lengths)
        {
            count[length]++;
        }

        count[0] = 0;
        Span<int> next = stackalloc int[MaxCodeLength + 1];
        var code = 0;
        for (var length = 1; length <= MaxCodeLength; length++)
        {
            code = (code + count[length - 1]) << 1;
            next[length] = code;
        }

        Array.Fill(skip, SkipSlow);
        for (var symbol = 0; symbol < lengths.Length && symbol <= 285; symbol++)
        {
            var length = lengths[symbol];
            if (length == 0)
            {
                continue;
            }

            var reversed = Reverse(next[length]++, length);
            if (length > SkipBits)
            {
                continue;
            }

            var entry = symbol switch
            {
                < EndOfBlock => SkipLiterals | length,
                EndOfBlock => SkipEnd | length,
                _ when length + LengthExtraBits[symbol - 257] <= SkipBits => SkipLength | (uint)(length + LengthExtraBits[symbol - 257]),
                _ => SkipSlow,
            };
            for (var slot = reversed; slot < 1 << SkipBits; slot += 1 << length)
            {
                skip[slot] = entry;
            }
        }

        for (var slot = 0; slot < 1 << SkipBits; slot++)
        {
            var first = skip[slot];
            if ((first & SkipKind) == SkipLiterals)
            {
                var used = (int)(first & 0xFF);
                var second = skip[slot >> used];
                if ((second & SkipKind) == SkipLiterals && used + (int)(second & 0xFF) <= SkipBits)
                {
                    skip[slot] = SkipLiterals | (uint)(used + (int)(second & 0xFF));
                }
            }
        }
    }

    // The skip table of a distance code: the bits of a code and its extra bits, or 0 where the code is longer than the
    // table or invalid (decoded the slow way).
    private static uint[] BuildDistanceSkip(uint[] distance, uint[] skip)
    {
        for (var index = 0; index < skip.Length; index++)
        {
            var entry = distance[index];
            var symbol = (int)(entry >> 16);
            skip[index] = entry == 0 || (entry & SubtableFlag) != 0 || symbol > 29 ? 0 : (entry & 0xFF) + DistanceExtraBits[symbol];
        }

        return skip;
    }

    private static int Decode(ref BitReader reader, uint[] table, int tableBits)
    {
        var entry = table[reader.Peek(tableBits)];
        if ((entry & SubtableFlag) != 0)
        {
            var subBits = (int)((entry >> 9) & 0xF);
            entry = table[(entry >> 16) + ((reader.Peek(tableBits + subBits) >> tableBits))];
        }

        if (entry == 0)
        {
            throw new InvalidDataException("A deflate code that the block's Huffman code does not have.");
        }

        reader.Drop((int)(entry & 0xFF));
        return (int)(entry >> 16);
    }

    // Canonical Huffman codes (RFC 1951 §3.2.2) into a two-level lookup table indexed by the next input bits (which
    // hold a code's first bit lowest). Codes up to tableBits long fill every first-level slot they prefix; longer codes
    // share a second-level table per first-level prefix, sized by the longest code under that prefix.
    private static void Build(ReadOnlySpan<byte> lengths, uint[] table, int tableBits)
    {
        Span<int> count = stackalloc int[MaxCodeLength + 1];
        count.Clear();
        foreach (var length in lengths)
        {
            count[length]++;
        }

        count[0] = 0;
        Span<int> next = stackalloc int[MaxCodeLength + 2];
        var code = 0;
        var left = 1;
        for (var length = 1; length <= MaxCodeLength; length++)
        {
            code = (code + count[length - 1]) << 1;
            next[length] = code;
            left = (left << 1) - count[length];
            if (left < 0)
            {
                throw new InvalidDataException("A deflate Huffman code is over-subscribed.");
            }
        }

        // Second-level sizes: for each first-level prefix, the longest code under it.
        var firstSize = 1 << tableBits;
        Span<int> assigned = stackalloc int[MaxCodeLength + 2];
        next.CopyTo(assigned);
        Span<byte> longest = stackalloc byte[firstSize];
        longest.Clear();
        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            if (length > tableBits)
            {
                var prefix = Reverse(assigned[length]++, length) & (firstSize - 1);
                longest[prefix] = Math.Max(longest[prefix], length);
            }
        }

        var offset = firstSize;
        for (var prefix = 0; prefix < firstSize; prefix++)
        {
            if (longest[prefix] != 0)
            {
                var subBits = longest[prefix] - tableBits;
                table[prefix] = ((uint)offset << 16) | ((uint)subBits << 9) | SubtableFlag;
                offset += 1 << subBits;
            }
        }

        for (var symbol = 0; symbol < lengths.Length; symbol++)
        {
            var length = lengths[symbol];
            if (length == 0)
            {
                continue;
            }

            var reversed = Reverse(next[length]++, length);
            var entry = ((uint)symbol << 16) | length;
            if (length <= tableBits)
            {
                for (var slot = reversed; slot < firstSize; slot += 1 << length)
                {
                    table[slot] = entry;
                }
            }
            else
            {
                var pointer = table[reversed & (firstSize - 1)];
                var start = (int)(pointer >> 16);
                var subBits = (int)((pointer >> 9) & 0xF);
                for (var slot = reversed >> tableBits; slot < 1 << subBits; slot += 1 << (length - tableBits))
                {
                    table[start + slot] = entry;
                }
            }
        }
    }

    private static int Reverse(int code, int length)
    {
        var reversed = 0;
        for (var i = 0; i < length; i++, code >>= 1)
        {
            reversed = (reversed << 1) | (code & 1);
        }

        return reversed;
    }

    // RFC 1951 §3.2.6: literal/length codes 0-143 are 8 bits, 144-255 9, 256-279 7, 280-287 8; distances all 5.
    private static uint[] BuildFixedSkip()
    {
        var skip = new uint[1 << SkipBits];
        BuildSkip(FixedLengths(litLen: true), skip);
        return skip;
    }

    private static uint[] BuildFixed(bool litLen)
    {
        var lengths = FixedLengths(litLen);
        var table = new uint[litLen ? LitLenTable.Size : DistanceTable.Size];
        Build(lengths, table, litLen ? LitLenTableBits : DistanceTableBits);
        return table;
    }

    private static byte[] FixedLengths(bool litLen)
    {
        var lengths = new byte[litLen ? 288 : 30];
        if (litLen)
        {
            lengths.AsSpan(0, 144).Fill(8);
            lengths.AsSpan(144, 112).Fill(9);
            lengths.AsSpan(256, 24).Fill(7);
            lengths.AsSpan(280, 8).Fill(8);
        }
        else
        {
            lengths.AsSpan().Fill(5);
        }

        return lengths;
    }

    // The largest two-level tables: a first level plus, at worst, second-level tables for every code longer than it
    // (zlib's ENOUGH bounds, 852 for 286 codes at 9 bits; these are sized generously for 10 and 8 bits).
    private static class LitLenTable
    {
        public const int Size = (1 << LitLenTableBits) + (286 << (MaxCodeLength - LitLenTableBits));
    }

    private static class DistanceTable
    {
        public const int Size = (1 << DistanceTableBits) + (30 << (MaxCodeLength - DistanceTableBits));
    }

    private sealed class Tables
    {
        public uint[] LitLen { get; } = new uint[LitLenTable.Size];

        public uint[] Distance { get; } = new uint[DistanceTable.Size];

        public byte[] Lengths { get; } = new byte[286 + 30];

        public uint[] Skip { get; } = new uint[1 << SkipBits];

        public uint[] DistanceSkip { get; } = new uint[1 << DistanceSkipBits];
    }

    // Reads bits lowest first. Past the end of the data it reads zeros; the caller checks the position against the
    // length once a block is done.
    private ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private ulong _bits;
        private int _count;
        private int _next;

        public BitReader(ReadOnlySpan<byte> data)
        {
            _data = data;
        }

        public readonly long Position => ((long)_next * 8) - _count;

        public readonly ReadOnlySpan<byte> Data => _data;

        public (ulong Bits, int Count, int Next) State
        {
            readonly get => (_bits, _count, _next);
            set => (_bits, _count, _next) = value;
        }

        // Fills the buffer to at least 56 bits.
        public void Refill()
        {
            if (_next + 8 <= _data.Length)
            {
                _bits |= System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(_data[_next..]) << _count;
                _next += (63 - _count) >> 3;
                _count |= 56;
                return;
            }

            while (_count <= 56)
            {
                if (_next < _data.Length)
                {
                    _bits |= (ulong)_data[_next] << _count;
                }
                else if (_next > _data.Length + 64)
                {
                    throw new InvalidDataException("The deflate stream ends before its final block does.");
                }

                _next++;
                _count += 8;
            }
        }

        public readonly uint Peek(int bits) => (uint)(_bits & ((1UL << bits) - 1));

        public void Drop(int bits)
        {
            _bits >>= bits;
            _count -= bits;
        }

        public uint Take(int bits)
        {
            var value = Peek(bits);
            Drop(bits);
            return value;
        }

        public void AlignToByte() => Drop(_count & 7);

        public void SkipBytes(int length)
        {
            // Whole bytes still in the buffer are used first; the rest is skipped in the data.
            var position = Position + ((long)length * 8);
            if (position > (long)_data.Length * 8)
            {
                throw new InvalidDataException("A stored deflate block runs past the end of the data.");
            }

            _bits = 0;
            _count = 0;
            _next = (int)(position / 8);
        }
    }
}
