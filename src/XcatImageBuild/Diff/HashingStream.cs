using System.Security.Cryptography;
using XcatImageBuild.Formats;

namespace XcatImageBuild.Diff;

/// <summary>Passes a stream's bytes through while hashing them, so an archive is digested in the same pass that reads it.</summary>
internal sealed class HashingStream(Stream inner) : ReadOnlyStream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _read;

    protected override long BytesRead => _read;

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _hash.AppendData(buffer[..read]);
        _read += read;
        return read;
    }

    /// <summary>The SHA-256 of every byte read so far, as lowercase hex.</summary>
    public string Digest() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
