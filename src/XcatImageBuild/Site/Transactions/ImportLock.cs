using System.Globalization;
using System.Text;

namespace XcatImageBuild.Site.Transactions;

/// <summary>
/// The locks import takes, as OS file locks under <c>/var/lock/xcat/</c> in the site (released when the process dies):
/// one per image name, held for the whole import, so a second import of the same image fails at once with a clear
/// message; and the site's commit lock, held while files move and rows are written and while an interrupted import
/// is recovered, so commits and recoveries never overlap.
/// </summary>
public sealed class ImportLock : IDisposable
{
    private const string LogicalDirectory = "/var/lock/xcat";
    private readonly FileStream _stream;

    private ImportLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the lock for importing the image <paramref name="imageName"/>.</summary>
    /// <exception cref="XcatException">Another import of that image holds it.</exception>
    public static ImportLock ForImage(XcatSite site, string imageName)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(imageName);
        // Image names are usually file-name safe; any other is spelled in hex so it cannot steer the path.
        var safeName = imageName.Length > 0 && imageName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') && imageName[0] != '.'
            ? imageName
            : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(imageName));
        return TryTake(site, $"imgimport.image.{safeName}.lock", out var holder)
            ?? throw new XcatException(
                $"Another imgimport of the image '{imageName}' is running (process {holder}); wait for it to finish and try again.");
    }

    /// <summary>Takes the site's commit lock, waiting up to <paramref name="wait"/> for another import's commit or recovery.</summary>
    /// <exception cref="XcatException">It is still held after the wait.</exception>
    public static ImportLock ForCommit(XcatSite site, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(site);
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var taken = TryTake(site, "imgimport.commit.lock", out var holder);
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

    /// <summary>Takes the site's commit lock if it is free, else returns null.</summary>
    public static ImportLock? TryForCommit(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        return TryTake(site, "imgimport.commit.lock", out _);
    }

    public void Dispose() => _stream.Dispose();

    private static ImportLock? TryTake(XcatSite site, string name, out string holder)
    {
        var directory = site.Map(LogicalDirectory);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        // The holder's process id sits in a sibling file: the lock file itself cannot be opened, even for reading,
        // while another process holds its exclusive lock.
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(path + ".pid", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            holder = string.Empty;
            return new ImportLock(stream);
        }
        catch (IOException)
        {
            try
            {
                holder = File.ReadAllText(path + ".pid").Trim();
            }
            catch (IOException)
            {
                holder = "?";
            }

            return null;
        }
    }
}
