using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Images;
using XcatImageBuild.Signing;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// Checking each image directory's SHA256SUMS.minisig against the trusted keys, right after unpacking and before
/// any manifest is read. The signature covers SHA256SUMS, and SHA256SUMS covers every other file, so a valid
/// signature vouches for the whole image directory once the checksums match (checked next, and required then).
/// </summary>
public sealed partial class Importer
{
    // Four lines: two comments of at most minisign's bounds and two base64 blobs.
    private const long MaxSignatureBytes = 10 * 1024;

    private static List<MinisignPublicKey> LoadTrustedKeys(ImportOptions request)
    {
        if (request.RequireSignature && request.TrustedKeys.Count == 0)
        {
            throw new XcatException("--require-signature needs the keys to trust: give at least one --trusted-key PUBKEY.");
        }

        var keys = new List<MinisignPublicKey>();
        var problems = new List<string>();
        foreach (var path in request.TrustedKeys)
        {
            try
            {
                keys.Add(MinisignPublicKey.ReadFile(path));
            }
            catch (XcatException e)
            {
                problems.Add(e.Message);
            }
        }

        Refuse(problems);
        return keys;
    }

    /// <summary>One problem per image directory whose signature is missing, malformed, untrusted or wrong.</summary>
    private List<string> VerifySignatures(StagingArea staging, List<MinisignPublicKey> trustedKeys, ImportOptions request)
    {
        var problems = new List<string>();
        var required = request.RequireSignature || trustedKeys.Count > 0;
        var directories = staging.Find(ManifestCfgReader.FileName) is { Kind: StagingMemberKind.File }
            ? [string.Empty]
            : staging.TopLevelNames().Where(t => staging.Find(t) is { Kind: StagingMemberKind.Directory }).ToList();
        foreach (var directory in directories)
        {
            var prefix = directory.Length == 0 ? string.Empty : directory + "/";
            var signaturePath = prefix + ChecksumList.SignatureFileName;
            var listPath = prefix + ChecksumList.FileName;
            var member = staging.Find(signaturePath);
            var hasSignature = member is { Kind: StagingMemberKind.File };
            if (!required)
            {
                if (hasSignature)
                {
                    _progress.Warning($"The bundle's {signaturePath} was not checked: no --trusted-key was given.");
                }

                continue;
            }

            var shown = OsImageFields.Escape(directory.Length == 0 ? request.BundlePath : directory + "/");
            if (!hasSignature)
            {
                problems.Add($"The image directory {shown} of {request.BundlePath} is not signed: it has no {ChecksumList.SignatureFileName}, and a signature by a trusted key is required.");
                continue;
            }

            if (staging.Find(listPath) is not { Kind: StagingMemberKind.File })
            {
                problems.Add($"The signature {OsImageFields.Escape(signaturePath)} has nothing to sign: the image directory has no {ChecksumList.FileName}.");
                continue;
            }

            if (member!.Size > MaxSignatureBytes)
            {
                problems.Add($"The signature {OsImageFields.Escape(signaturePath)} is {member.Size} bytes, too large to be a minisign signature.");
                continue;
            }

            MinisignSignature signature;
            try
            {
                signature = MinisignSignature.Parse(File.ReadAllText(staging.PathOf(signaturePath)), OsImageFields.Escape(signaturePath));
            }
            catch (InvalidDataException e)
            {
                problems.Add(e.Message);
                continue;
            }

            using var list = File.OpenRead(staging.PathOf(listPath));
            var (key, problem) = signature.Verify(list, trustedKeys);
            if (problem is not null)
            {
                problems.Add($"The signature {OsImageFields.Escape(signaturePath)} of {request.BundlePath} is refused: {problem}.");
                continue;
            }

            _progress.Info($"The signature {OsImageFields.Escape(signaturePath)} by the trusted key {key!.KeyIdText} is valid (trusted comment: {OsImageFields.Escape(signature.TrustedComment)}).");
        }

        return problems;
    }
}
