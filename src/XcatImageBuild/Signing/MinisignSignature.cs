using System.Text;
using NSec.Cryptography;

namespace XcatImageBuild.Signing;

/// <summary>
/// A minisign signature file (<c>.minisig</c>): <c>untrusted comment: ...</c>; the base64 of the algorithm (<c>ED</c>
/// prehashed with BLAKE2b-512, or the legacy <c>Ed</c> over the raw message), the signer's 8-byte key id and the
/// 64-byte signature; <c>trusted comment: ...</c>; and the base64 of the global signature over the signature bytes
/// followed by the trusted comment, so the trusted comment cannot be changed without the secret key.
/// </summary>
public sealed class MinisignSignature
{
    /// <summary>The untrusted comment minisign writes by default.</summary>
    public const string DefaultUntrustedComment = "signature from minisign secret key";

    private const int SignatureLength = 64;
    private const int BlobLength = 2 + MinisignSecretKey.KeyIdLength + SignatureLength;

    internal MinisignSignature(string untrustedComment, bool prehashed, byte[] keyId, byte[] signature, string trustedComment, byte[] globalSignature)
    {
        UntrustedComment = untrustedComment;
        Prehashed = prehashed;
        KeyId = keyId;
        Signature = signature;
        TrustedComment = trustedComment;
        GlobalSignature = globalSignature;
    }

    public string UntrustedComment { get; }

    /// <summary>Whether the signature is over the message's BLAKE2b-512 digest (<c>ED</c>) rather than the message (<c>Ed</c>).</summary>
    public bool Prehashed { get; }

    /// <summary>The id of the key that made it.</summary>
    public byte[] KeyId { get; }

    /// <summary>The key id as minisign prints it.</summary>
    public string KeyIdText => MinisignFile.KeyIdText(KeyId);

    /// <summary>The signed comment (verified together with the signature).</summary>
    public string TrustedComment { get; }

    private byte[] Signature { get; }

    private byte[] GlobalSignature { get; }

    /// <summary>Parses a signature file's text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="where">The file's name or path, for messages.</param>
    /// <exception cref="InvalidDataException">The text is not a minisign signature; the message names <paramref name="where"/>.</exception>
    public static MinisignSignature Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(where);
        var lines = MinisignFile.Lines(text);
        if (lines.Length < 4)
        {
            throw new InvalidDataException($"The signature {where} is not a minisign signature: it has {lines.Length} lines, not 4.");
        }

        var untrusted = MinisignFile.Untrusted(lines[0])
            ?? throw new InvalidDataException($"The signature {where} is not a minisign signature: its first line does not start with '{MinisignFile.UntrustedPrefix}'.");
        var blob = MinisignFile.Blob(lines[1], BlobLength)
            ?? throw new InvalidDataException($"The signature {where} is not a minisign signature: its second line is not the base64 of {BlobLength} bytes.");
        var trusted = MinisignFile.Trusted(lines[2])
            ?? throw new InvalidDataException($"The signature {where} has no trusted comment: its third line does not start with '{MinisignFile.TrustedPrefix}'.");
        var global = MinisignFile.Blob(lines[3], SignatureLength)
            ?? throw new InvalidDataException($"The signature {where} is not a minisign signature: its fourth line is not the base64 of a 64-byte signature.");
        var prehashed = (blob[0], blob[1]) switch
        {
            ((byte)'E', (byte)'D') => true,
            ((byte)'E', (byte)'d') => false,
            _ => throw new InvalidDataException($"The signature {where} uses the algorithm '{MinisignPublicKey.Printable(blob.AsSpan(0, 2))}', not minisign's Ed25519 ('ED' or 'Ed')."),
        };
        return new MinisignSignature(untrusted, prehashed, blob[2..10], blob[10..], trusted, global);
    }

    /// <summary>Reads and parses a signature file.</summary>
    /// <exception cref="XcatException">The file is missing, unreadable or not a minisign signature; names the path.</exception>
    public static MinisignSignature ReadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var lines = MinisignFile.ReadLines(path, "signature");
        try
        {
            return Parse(string.Join('\n', lines), path);
        }
        catch (InvalidDataException e)
        {
            throw new XcatException(e.Message, 1, null, e);
        }
    }

    /// <summary>The file's text, as minisign writes it.</summary>
    public string Format()
    {
        var blob = new byte[BlobLength];
        (Prehashed ? "ED"u8 : "Ed"u8).CopyTo(blob);
        KeyId.CopyTo(blob, 2);
        Signature.CopyTo(blob, 10);
        return $"{MinisignFile.UntrustedPrefix}{UntrustedComment}\n{Convert.ToBase64String(blob)}\n" +
               $"{MinisignFile.TrustedPrefix}{TrustedComment}\n{Convert.ToBase64String(GlobalSignature)}\n";
    }

    /// <summary>The file's bytes (UTF-8).</summary>
    public byte[] ToBytes() => new UTF8Encoding(false).GetBytes(Format());

    /// <summary>
    /// Checks this signature of <paramref name="message"/> against the trusted keys, as <c>minisign -V</c> does: the
    /// key whose id the signature names must be among them, the signature must match the message, and the global
    /// signature must match the trusted comment.
    /// </summary>
    /// <returns>The key that verified it, or the reason it does not verify.</returns>
    public (MinisignPublicKey? Key, string? Problem) Verify(Stream message, IReadOnlyList<MinisignPublicKey> trustedKeys)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(trustedKeys);
        var key = trustedKeys.FirstOrDefault(k => k.KeyId.AsSpan().SequenceEqual(KeyId));
        if (key is null)
        {
            var trusted = trustedKeys.Count == 0 ? "no key is trusted" : $"the trusted keys are {string.Join(", ", trustedKeys.Select(k => k.KeyIdText))}";
            return (null, $"it was made by the key {KeyIdText}, which is not trusted ({trusted})");
        }

        byte[] signed;
        if (Prehashed)
        {
            signed = Prehash(message);
        }
        else
        {
            using var copy = new MemoryStream();
            message.CopyTo(copy);
            signed = copy.ToArray();
        }

        if (!key.Verifies(signed, Signature))
        {
            return (null, $"it does not match the signed file (the signature by key {KeyIdText} is over different content)");
        }

        return key.Verifies(GlobalMessage(Signature, TrustedComment), GlobalSignature)
            ? (key, null)
            : (null, "its trusted comment was changed after signing (the comment signature does not verify)");
    }

    internal static byte[] Prehash(Stream message)
    {
        IncrementalHash.Initialize(NSec.Cryptography.HashAlgorithm.Blake2b_512, out var hash);
        var buffer = new byte[1 << 16];
        int read;
        while ((read = message.Read(buffer)) > 0)
        {
            IncrementalHash.Update(ref hash, buffer.AsSpan(0, read));
        }

        return IncrementalHash.Finalize(ref hash);
    }

    internal static byte[] GlobalMessage(ReadOnlySpan<byte> signature, string trustedComment) =>
        [.. signature, .. Encoding.UTF8.GetBytes(trustedComment)];

    internal static void CheckComments(string untrustedComment, string trustedComment)
    {
        if (!MinisignFile.IsOneLine(untrustedComment) || !MinisignFile.IsOneLine(trustedComment))
        {
            throw new ArgumentException("A minisign comment must stay on one line.");
        }

        if (Encoding.UTF8.GetByteCount(trustedComment) >= MinisignFile.MaxTrustedCommentBytes - MinisignFile.TrustedPrefix.Length ||
            Encoding.UTF8.GetByteCount(untrustedComment) >= MinisignFile.MaxCommentBytes - MinisignFile.UntrustedPrefix.Length)
        {
            throw new ArgumentException("The comment is longer than minisign reads.");
        }
    }
}
