using System.Security.Cryptography;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;

namespace XcatImageBuild.Registry;

/// <summary>
/// What a bundle file says about itself, read in one streaming pass: its digest and size, the one image it holds and
/// that image's manifest, the digest of its SHA256SUMS, its signature and SBOM when it carries them, and the time it
/// was made (its newest member's time: imgexport gives every member <c>SOURCE_DATE_EPOCH</c> when set).
/// </summary>
public sealed record BundleArtifact(
    string Path,
    string Digest,
    long Size,
    string Directory,
    ImageManifest Manifest,
    string? ChecksumsDigest,
    byte[]? Signature,
    byte[]? Sbom,
    DateTimeOffset Created)
{
    /// <summary>The signature's file name in the image directory (minisign's, beside SHA256SUMS).</summary>
    public const string SignatureFileName = ChecksumList.FileName + ".minisig";

    /// <summary>The SBOM's file name in the image directory (and in the root image directory genimage writes it to).</summary>
    public const string SbomFileName = "image.spdx.json";

    private const long MaxManifest = 16L << 20;
    private const long MaxSignature = 64L << 10;
    private const long MaxSbom = 256L << 20;

    /// <summary>The image's name (osimage.imagename).</summary>
    public string ImageName => Manifest.ImageName ?? Directory;

    /// <summary>Reads the bundle.</summary>
    /// <exception cref="XcatException">It cannot be read, is not a gzip tar, or does not hold exactly one image with a manifest.</exception>
    public static BundleArtifact Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            using var hashed = new HashingReadStream(file);
            var found = Scan(path, hashed);
            hashed.Drain();
            return found with { Path = path, Digest = hashed.Digest(), Size = hashed.Length };
        }
        catch (FileNotFoundException)
        {
            throw new XcatException($"Cannot find {path}");
        }
        catch (InvalidDataException e)
        {
            throw new XcatException($"{path} is not a readable bundle: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new XcatException($"Cannot read {path}: {e.Message}", e);
        }
    }

    private static BundleArtifact Scan(string path, Stream bundle)
    {
        using var gzip = new VerifyingGzipStream(bundle, leaveOpen: true);
        using var tar = new StrictTarReader(gzip, leaveOpen: true);
        var directories = new SortedSet<string>(StringComparer.Ordinal);
        ImageManifest? manifest = null;
        string? checksums = null;
        byte[]? signature = null;
        byte[]? sbom = null;
        long newest = 0;
        while (tar.GetNextMember() is { } member)
        {
            newest = Math.Max(newest, member.Header.ModificationTime);
            var name = member.Name.StartsWith("./", StringComparison.Ordinal) ? member.Name[2..] : member.Name;
            var parts = name.TrimEnd('/').Split('/');
            if (parts[0].Length == 0 || parts[0] == ".")
            {
                continue;
            }

            directories.Add(parts[0]);
            if (parts.Length != 2 || member.DataStream is not { } data || member.IsHardLink)
            {
                continue;
            }

            switch (parts[1])
            {
                case ImageManifest.FileName:
                    manifest = ManifestReader.Read(new MemoryStream(ReadAll(data, member.Header.DataLength, MaxManifest, name)));
                    break;
                case ChecksumList.FileName:
                    checksums = OciDescriptor.DigestOf(ReadAll(data, member.Header.DataLength, MaxManifest, name));
                    break;
                case SignatureFileName:
                    signature = ReadAll(data, member.Header.DataLength, MaxSignature, name);
                    break;
                case SbomFileName:
                    sbom = ReadAll(data, member.Header.DataLength, MaxSbom, name);
                    break;
            }
        }

        if (directories.Count != 1 || manifest is null)
        {
            throw new XcatException(directories.Count == 1
                ? $"{path} has no {directories.Min}/{ImageManifest.FileName}, so it is not an xCAT bundle."
                : $"{path} holds {directories.Count} image directories ({string.Join(", ", directories)}); a registry artifact carries exactly one image.");
        }

        return new BundleArtifact(path, string.Empty, 0, directories.Min!, manifest, checksums, signature, sbom, DateTimeOffset.FromUnixTimeSeconds(newest));
    }

    private static byte[] ReadAll(Stream data, long length, long max, string name)
    {
        if (length > max)
        {
            throw new InvalidDataException($"the member '{name}' is {length} bytes, more than the {max} it may have");
        }

        var content = new byte[length];
        data.ReadExactly(content);
        return content;
    }

    // Hashes and counts every byte read through it, so the bundle's digest comes from the same pass that reads it.
    private sealed class HashingReadStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public string Digest() => "sha256:" + Convert.ToHexStringLower(_hash.GetHashAndReset());

        public void Drain()
        {
            var buffer = new byte[1 << 16];
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            _hash.AppendData(buffer[..read]);
            _length += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
