using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// The one lock of a site: a file under <c>/var/lock/xcat/</c> in the site held with an exclusive OS lock (flock), so
/// it is released when its holder exits or is killed. Every lock is non-blocking (or waits a bounded time) and a
/// refused caller is told who holds it: the holder's process id is in a sibling <c>.pid</c> file, written once the
/// lock is taken and removed before it is released, because the lock file itself cannot be read while it is held.
/// Lock file names stay within the 255-byte file-name limit whatever the name they stand for (long names are cut and
/// carry a digest of the whole name).
/// </summary>
public sealed class SiteLock : IDisposable
{
    /// <summary>Where lock files live, as a logical path (where xCAT keeps its own).</summary>
    public const string LogicalDirectory = "/var/lock/xcat";

    // Room for ".pid" and the pid file's temporary name (AtomicFile) within NAME_MAX.
    private const int MaximumNameBytes = 200;
    private const int WouldBlock = 11;
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const string CommitLockName = "imgimport.commit.lock";

    private readonly FileStream _stream;
    private readonly string _pidFile;

    private SiteLock(FileStream stream, string path)
    {
        _stream = stream;
        LockFile = path;
        _pidFile = path + ".pid";
    }

    /// <summary>The lock file on disk.</summary>
    public string LockFile { get; }

    /// <summary>
    /// The per-rootimgdir lock genimage, packimage and rmimage take (xCAT's acquire_lock_imageop): the lock file is
    /// named as xCAT names it, <c>&lt;dir with / as .&gt;.&lt;md5 of dir&gt;</c>, so a real xCAT on the same
    /// management node is locked out too.
    /// </summary>
    /// <exception cref="XcatException">Another process holds it (xCAT's message, with its process id), or the lock file cannot be made.</exception>
    public static SiteLock ForImageDirectory(XcatSite site, string logicalRootImageDirectory)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(logicalRootImageDirectory);
        var normal = LogicalPath.Normalize(logicalRootImageDirectory);
        // MD5 only names the file, as xCAT names it; nothing relies on it for security.
#pragma warning disable CA5351
        var digest = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(normal)));
#pragma warning restore CA5351
        var readable = AtomicFile.Truncate(normal.Replace('/', '.'), MaximumNameBytes - digest.Length - 1);
        return TryTake(site, $"{readable}.{digest}", out var holder)
            ?? throw new XcatException(
                $"failed to acquire lock, seems there is another genimage/packimage/rmimage process {holder} running on root image dir \"{normal}\"");
    }

    /// <summary>The lock an import of the image <paramref name="imageName"/> holds from start to end.</summary>
    /// <exception cref="XcatException">Another import of that image holds it, or the lock file cannot be made.</exception>
    public static SiteLock ForImport(XcatSite site, string imageName)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(imageName);
        return TryTake(site, $"imgimport.image.{FileNameFor(imageName)}.lock", out var holder)
            ?? throw new XcatException(
                $"Another imgimport of the image '{imageName}' is running (process {holder}); wait for it to finish and try again.");
    }

    /// <summary>
    /// The site's commit lock, held while an import's files move and its rows are written and while an interrupted
    /// import is recovered, so commits and recoveries never overlap. Waits up to <paramref name="wait"/> for it.
    /// </summary>
    /// <exception cref="XcatException">It is still held after the wait, or the lock file cannot be made.</exception>
    public static SiteLock ForCommit(XcatSite site, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(site);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var taken = TryTake(site, CommitLockName, out var holder);
            if (taken is not null)
            {
                return taken;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new XcatException($"Another imgimport (process {holder}) is committing an import into this site; try again when it has finished.");
            }

            Thread.Sleep(100);
        }
    }

    /// <summary>The site's commit lock (see <see cref="ForCommit"/>) if it is free, else null.</summary>
    /// <exception cref="XcatException">The lock file cannot be made.</exception>
    public static SiteLock? TryForCommit(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return TryTake(site, CommitLockName, out _);
    }

    /// <summary>Releases the lock; its pid file goes first, so nobody is named as holding a lock that is free.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(_pidFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A stale pid file names a process only while a new holder has not yet written its own.
        }

        _stream.Dispose();
    }

    // A name that is file-name safe and short stays readable; any other is spelled as its digest, so it can neither
    // steer the path nor exceed the limit.
    private static string FileNameFor(string name)
    {
        var safe = name.Length > 0 && name[0] != '.' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        return safe && name.Length <= MaximumNameBytes - 32
            ? name
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }

    private static SiteLock? TryTake(XcatSite site, string name, out string holder)
    {
        var directory = site.Map(LogicalDirectory);
        var path = Path.Combine(directory, name);
        FileStream stream;
        try
        {
            Directory.CreateDirectory(directory);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e.GetType() == typeof(IOException) && e.HResult == WouldBlock)
        {
            holder = ReadHolder(path + ".pid");
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CannotTake(path, e);
        }

        var taken = new SiteLock(stream, path);
        try
        {
            AtomicFile.Write(taken._pidFile, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            taken.Dispose();
            throw CannotTake(path, e);
        }

        holder = string.Empty;
        return taken;
    }

    // A full disk is said as such: the lock is not held by anyone, and retrying will not help until space is freed.
    private static XcatException CannotTake(string path, Exception e) => e is IOException { HResult: NoSpace or QuotaExceeded }
        ? new XcatException(
            $"Cannot take the lock {path}: the disk holding {Path.GetDirectoryName(path)} is full{(e.HResult == QuotaExceeded ? " (disk quota exceeded)" : string.Empty)}.",
            1,
            "Free some space there and try again.",
            e)
        : new XcatException($"Cannot take the lock {path}: {e.Message}", 1, null, e);

    // The holder writes its pid just after taking the lock; give it a moment before naming nobody.
    private static string ReadHolder(string pidFile)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            try
            {
                var pid = File.ReadAllText(pidFile).Trim();
                if (pid.Length > 0)
                {
                    return pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Not written yet, or being replaced: try again.
            }

            Thread.Sleep(50);
        }

        return "?";
    }
}
