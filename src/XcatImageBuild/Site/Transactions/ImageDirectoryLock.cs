using System.Security.Cryptography;
using System.Text;

namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// The per-rootimgdir lock genimage, packimage and rmimage take (xCAT's acquire_lock_imageop): a lock file under
/// <c>/var/lock/xcat/</c> in the site named after the directory, held with an exclusive OS lock so it is released
/// when the process dies. Non-blocking: a second holder gets xCAT's message.
/// </summary>
public sealed class ImageDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private ImageDirectoryLock(FileStream stream, string path)
    {
        _stream = stream;
        LockFile = path;
    }

    /// <summary>The lock file on disk.</summary>
    public string LockFile { get; }

    /// <summary>Takes the lock on a logical root image directory.</summary>
    /// <exception cref="XcatException">Another process holds it.</exception>
    public static ImageDirectoryLock Acquire(XcatSite site, string logicalRootImageDirectory)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(logicalRootImageDirectory);
        var normal = SiteRoot.Normalize(logicalRootImageDirectory);
        // MD5 only names the file, as xCAT names it; nothing relies on it for security.
#pragma warning disable CA5351
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(normal)));
#pragma warning restore CA5351
        var lockDirectory = site.Map("/var/lock/xcat");
        Directory.CreateDirectory(lockDirectory);
        var path = Path.Combine(lockDirectory, $"{normal.Replace('/', '.')}.{digest}");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return new ImageDirectoryLock(stream, path);
        }
        catch (IOException)
        {
            string holder;
            try
            {
                using var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                holder = new StreamReader(reader).ReadToEnd().Trim();
            }
            catch (IOException)
            {
                holder = "?";
            }

            throw new XcatException(
                $"failed to acquire lock, seems there is another genimage/packimage/rmimage process {holder} running on root image dir \"{normal}\"");
        }
    }

    public void Dispose() => _stream.Dispose();
}
