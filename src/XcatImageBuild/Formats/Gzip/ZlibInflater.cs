using System.Runtime.InteropServices;

namespace XcatImageBuild.Formats.Gzip;

/// <summary>
/// Raw deflate decoding through the system's zlib (libz.so.1), with its input buffer in our hands. .NET's
/// DeflateStream reads ahead of the end of the compressed data and keeps what it read, so a gzip member's trailer
/// and the member after it cannot be found from it; zlib's <c>avail_in</c> says exactly where the deflate data ended.
/// </summary>
internal sealed unsafe partial class ZlibInflater : IDisposable
{
    /// <summary>zlib's <c>inflate</c> results that the caller tells apart.</summary>
    public enum Result
    {
        Progress,
        StreamEnd,
        DataError,
    }

    private const string Library = "libz.so.1";
    private const int ZOk = 0;
    private const int ZStreamEnd = 1;
    private const int ZBufError = -5;
    private const int ZNoFlush = 0;

    // z_stream on LP64 (every 64-bit Linux): next_in 0, avail_in 8, total_in 16, next_out 24, avail_out 32,
    // total_out 40, msg 48, state 56, zalloc 64, zfree 72, opaque 80, data_type 88, adler 96, reserved 104.
    private const int StreamSize = 112;
    private const int NextIn = 0;
    private const int AvailIn = 8;
    private const int NextOut = 24;
    private const int AvailOut = 32;
    private const int Message = 48;

    // zlib keeps a pointer to its z_stream and checks it on every call, so the structure lives in native memory.
    private readonly byte* _stream;
    private bool _disposed;

    public ZlibInflater()
    {
        if (sizeof(nint) != 8)
        {
            throw new PlatformNotSupportedException("The gzip reader needs a 64-bit process.");
        }

        _stream = (byte*)NativeMemory.AllocZeroed(StreamSize);
        var result = InflateInit2(_stream, -15, "1.2.11", StreamSize);
        if (result != ZOk)
        {
            NativeMemory.Free(_stream);
            throw new InvalidOperationException($"zlib's inflateInit2 failed ({result}).");
        }
    }

    /// <summary>Bytes of input zlib has not consumed yet.</summary>
    public int InputLeft => (int)*(uint*)(_stream + AvailIn);

    /// <summary>zlib's message for the last data error.</summary>
    public string ErrorMessage => Marshal.PtrToStringUTF8(*(nint*)(_stream + Message)) ?? "invalid deflate data";

    /// <summary>Hands zlib the input at <paramref name="input"/>, which must stay in place until it is consumed.</summary>
    public void SetInput(byte* input, int length)
    {
        *(byte**)(_stream + NextIn) = input;
        *(uint*)(_stream + AvailIn) = (uint)length;
    }

    /// <summary>Takes one byte of the input past zlib (for the gzip header and trailer around the deflate data).</summary>
    public byte TakeInputByte()
    {
        var next = *(byte**)(_stream + NextIn);
        *(byte**)(_stream + NextIn) = next + 1;
        *(uint*)(_stream + AvailIn) -= 1;
        return *next;
    }

    /// <summary>Decodes into <paramref name="output"/>; <paramref name="written"/> says how much was produced.</summary>
    public Result Inflate(Span<byte> output, out int written)
    {
        fixed (byte* into = output)
        {
            *(byte**)(_stream + NextOut) = into;
            *(uint*)(_stream + AvailOut) = (uint)output.Length;
            var result = Inflate(_stream, ZNoFlush);
            written = output.Length - (int)*(uint*)(_stream + AvailOut);
            *(byte**)(_stream + NextOut) = null;
            return result switch
            {
                ZStreamEnd => Result.StreamEnd,
                ZOk or ZBufError => Result.Progress,
                _ => Result.DataError,
            };
        }
    }

    /// <summary>Starts a new deflate stream (the next gzip member), keeping the input where it is.</summary>
    public void Reset()
    {
        if (InflateReset(_stream) != ZOk)
        {
            throw new InvalidOperationException("zlib's inflateReset failed.");
        }
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = InflateEnd(_stream);
            NativeMemory.Free(_stream);
        }
    }

    [LibraryImport(Library, EntryPoint = "inflateInit2_", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InflateInit2(byte* stream, int windowBits, string version, int streamSize);

    [LibraryImport(Library, EntryPoint = "inflate")]
    private static partial int Inflate(byte* stream, int flush);

    [LibraryImport(Library, EntryPoint = "inflateReset")]
    private static partial int InflateReset(byte* stream);

    [LibraryImport(Library, EntryPoint = "inflateEnd")]
    private static partial int InflateEnd(byte* stream);
}
