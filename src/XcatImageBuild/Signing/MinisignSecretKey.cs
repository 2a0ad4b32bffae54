using System.Security.Cryptography;
using NSec.Cryptography;

namespace XcatImageBuild.Signing;

/// <summary>
/// An unencrypted minisign secret key, as <c>minisign -G -W</c> writes it: <c>untrusted comment: ...</c>, then the
/// base64 of the signature algorithm <c>Ed</c>, the key derivation algorithm (two zero bytes: none), the checksum
/// algorithm <c>B2</c>, 48 bytes of (unused) derivation parameters, the 8-byte key id, the 64-byte Ed25519 secret
/// key (seed, then public key) and a 32-byte BLAKE2b checksum of algorithm, key id and secret key.
/// </summary>
public sealed class MinisignSecretKey
{
    internal const int KeyIdLength = 8;

    private const int ParametersLength = 32 + 8 + 8;
    private const int SecretLength = 64;
    private const int ChecksumLength = 32;
    private const int BlobLength = 6 + ParametersLength + KeyIdLength + SecretLength + ChecksumLength;
    private const int KeyIdOffset = 6 + ParametersLength;
    private const int SecretOffset = KeyIdOffset + KeyIdLength;
    private const int ChecksumOffset = SecretOffset + SecretLength;

    private readonly byte[] _seed;

    private MinisignSecretKey(byte[] keyId, byte[] seed, byte[] publicKey)
    {
        _seed = seed;
        PublicKey = new MinisignPublicKey(keyId, publicKey);
    }

    /// <summary>The matching public key (its id is this key's id).</summary>
    public MinisignPublicKey PublicKey { get; }

    /// <summary>A new key pair with a random key id.</summary>
    public static MinisignSecretKey Generate()
    {
        using var key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return new MinisignSecretKey(RandomNumberGenerator.GetBytes(KeyIdLength), key.Export(KeyBlobFormat.RawPrivateKey), key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    /// <summary>Reads a secret key file.</summary>
    /// <exception cref="XcatException">
    /// The file is missing, is not a minisign secret key, is encrypted with a password, or is damaged (its checksum
    /// or its public half does not match); names the path.
    /// </exception>
    public static MinisignSecretKey ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lines = MinisignFile.ReadLines(path, "secret key");
        var blob = lines.Length >= 2 && MinisignFile.Untrusted(lines[0]) is not null ? MinisignFile.Blob(lines[1], BlobLength) : null;
        if (blob is null)
        {
            throw new XcatException($"The secret key {path} is not a minisign secret key (an 'untrusted comment:' line, then the base64 of {BlobLength} bytes).");
        }

        if (blob[0] != (byte)'E' || blob[1] != (byte)'d')
        {
            throw new XcatException($"The secret key {path} is for the signature algorithm '{MinisignPublicKey.Printable(blob.AsSpan(0, 2))}', not minisign's Ed25519 ('Ed').");
        }

        if (blob[2] == (byte)'S' && blob[3] == (byte)'c')
        {
            throw new XcatException(
                $"The secret key {path} is encrypted with a password, which signing here cannot ask for.",
                1,
                $"Remove the password with: minisign -C -W -s {path}");
        }

        if (blob[2] != 0 || blob[3] != 0 || blob[4] != (byte)'B' || blob[5] != (byte)'2')
        {
            throw new XcatException($"The secret key {path} uses the key derivation '{MinisignPublicKey.Printable(blob.AsSpan(2, 2))}' and checksum '{MinisignPublicKey.Printable(blob.AsSpan(4, 2))}'; only unencrypted keys with BLAKE2b checksums (as minisign -G -W writes) are read.");
        }

        var keyId = blob[KeyIdOffset..SecretOffset];
        var secret = blob[SecretOffset..ChecksumOffset];
        var checksum = blob.AsSpan(ChecksumOffset, ChecksumLength);

        // minisign 0.11 leaves the checksum of an unencrypted key zero; later versions fill it. Both are accepted,
        // anything else means the key was damaged.
        if (checksum.IndexOfAnyExcept((byte)0) >= 0 && !checksum.SequenceEqual(Checksum(keyId, secret)))
        {
            throw new XcatException($"The secret key {path} is damaged: its checksum does not match its content.");
        }

        var seed = secret[..32];
        var stored = secret[32..];
        using var key = Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        if (!key.PublicKey.Export(KeyBlobFormat.RawPublicKey).AsSpan().SequenceEqual(stored))
        {
            throw new XcatException($"The secret key {path} is damaged: its public half does not belong to its secret half.");
        }

        return new MinisignSecretKey(keyId, seed, stored);
    }

    /// <summary>The file's text, as <c>minisign -G -W</c> writes it (with the checksum filled in).</summary>
    public string Format()
    {
        var blob = new byte[BlobLength];
        "Ed"u8.CopyTo(blob);
        "B2"u8.CopyTo(blob.AsSpan(4));
        var secret = Secret();
        PublicKey.KeyId.CopyTo(blob, KeyIdOffset);
        secret.CopyTo(blob, SecretOffset);
        Checksum(PublicKey.KeyId, secret).CopyTo(blob, ChecksumOffset);
        return $"{MinisignFile.UntrustedPrefix}minisign unencrypted secret key {PublicKey.KeyIdText}\n{Convert.ToBase64String(blob)}\n";
    }

    /// <summary>
    /// Signs a message in minisign's prehashed form (<c>ED</c>, what current minisign writes): the Ed25519 signature
    /// of the message's BLAKE2b-512 digest, and the global signature of that signature followed by the trusted comment.
    /// </summary>
    /// <exception cref="ArgumentException">The trusted comment spans lines or exceeds minisign's bound.</exception>
    public MinisignSignature Sign(Stream message, string trustedComment, string untrustedComment = MinisignSignature.DefaultUntrustedComment)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(trustedComment);
        MinisignSignature.CheckComments(untrustedComment, trustedComment);
        using var key = Key.Import(SignatureAlgorithm.Ed25519, _seed, KeyBlobFormat.RawPrivateKey);
        var signature = SignatureAlgorithm.Ed25519.Sign(key, MinisignSignature.Prehash(message));
        var global = SignatureAlgorithm.Ed25519.Sign(key, MinisignSignature.GlobalMessage(signature, trustedComment));
        return new MinisignSignature(untrustedComment, true, PublicKey.KeyId, signature, trustedComment, global);
    }

    private byte[] Secret() => [.. _seed, .. PublicKey.Key];

    private static byte[] Checksum(ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> secret) =>
        NSec.Cryptography.HashAlgorithm.Blake2b_256.Hash([.. "Ed"u8, .. keyId, .. secret]);
}
