using System.Text;
using NSec.Cryptography;

namespace XcatImageBuild.Signing;

/// <summary>
/// A minisign public key: <c>untrusted comment: minisign public key &lt;ID&gt;</c>, then the base64 of the signature
/// algorithm <c>Ed</c>, the 8-byte key id and the 32-byte Ed25519 public key.
/// </summary>
public sealed class MinisignPublicKey
{
    /// <summary>Bytes of the decoded key line: algorithm (2), key id (8), Ed25519 key (32).</summary>
    internal const int BlobLength = 2 + MinisignSecretKey.KeyIdLength + 32;

    internal MinisignPublicKey(byte[] keyId, byte[] key)
    {
        KeyId = keyId;
        Key = key;
    }

    /// <summary>The 8-byte key id that signatures made with the matching secret key carry.</summary>
    public byte[] KeyId { get; }

    /// <summary>The key id as minisign prints it (16 upper-case hex digits).</summary>
    public string KeyIdText => MinisignFile.KeyIdText(KeyId);

    /// <summary>The raw 32-byte Ed25519 public key.</summary>
    internal byte[] Key { get; }

    /// <summary>Reads a public key file.</summary>
    /// <exception cref="XcatException">The file is missing or is not a minisign Ed25519 public key; names the path.</exception>
    public static MinisignPublicKey ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lines = MinisignFile.ReadLines(path, "public key");
        var blob = lines.Length >= 2 && MinisignFile.Untrusted(lines[0]) is not null ? MinisignFile.Blob(lines[1], BlobLength) : null;
        if (blob is null)
        {
            throw new XcatException($"The public key {path} is not a minisign public key (an 'untrusted comment:' line, then the base64 of 42 bytes).");
        }

        if (blob[0] != (byte)'E' || blob[1] != (byte)'d')
        {
            throw new XcatException($"The public key {path} is for the signature algorithm '{Printable(blob.AsSpan(0, 2))}', not minisign's Ed25519 ('Ed').");
        }

        return new MinisignPublicKey(blob[2..10], blob[10..]);
    }

    /// <summary>The file's text, as <c>minisign -G</c> writes it.</summary>
    public string Format()
    {
        var blob = new byte[BlobLength];
        "Ed"u8.CopyTo(blob);
        KeyId.CopyTo(blob, 2);
        Key.CopyTo(blob, 10);
        return $"{MinisignFile.UntrustedPrefix}minisign public key {KeyIdText}\n{Convert.ToBase64String(blob)}\n";
    }

    /// <summary>Whether <paramref name="signature"/> is Ed25519's signature of <paramref name="message"/> by this key.</summary>
    internal bool Verifies(ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (!PublicKey.TryImport(SignatureAlgorithm.Ed25519, Key, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            return false;
        }

        return SignatureAlgorithm.Ed25519.Verify(key, message, signature);
    }

    internal static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x21 and < 0x7f ? ((char)b).ToString() : $"\\x{b:x2}");
        }

        return text.ToString();
    }
}
