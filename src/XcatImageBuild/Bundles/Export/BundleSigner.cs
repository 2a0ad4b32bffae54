using System.Globalization;
using XcatImageBuild.Bundles.Manifest;
using XcatImageBuild.Signing;

namespace XcatImageBuild.Bundles.Export;

/// <summary>
/// Signs an image directory's SHA256SUMS with minisign's prehashed Ed25519, so
/// <c>minisign -Vm SHA256SUMS -p key.pub</c> verifies an extracted bundle. The trusted comment names the image and
/// the export's time (<c>SOURCE_DATE_EPOCH</c> when set, so a signed bundle stays reproducible):
/// <c>timestamp:&lt;seconds&gt;\tfile:SHA256SUMS\timage:&lt;name&gt;\thashed</c>.
/// </summary>
internal sealed class BundleSigner(MinisignSecretKey key, string imageName, DateTimeOffset time)
{
    /// <summary>The signature file's bytes for the checksum list's bytes.</summary>
    public byte[] Sign(byte[] checksumList)
    {
        var comment = string.Create(CultureInfo.InvariantCulture, $"timestamp:{time.ToUnixTimeSeconds()}\tfile:{ChecksumList.FileName}\timage:{imageName}\thashed");
        using var message = new MemoryStream(checksumList, writable: false);
        return key.Sign(message, comment).ToBytes();
    }
}
