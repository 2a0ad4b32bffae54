using System.Globalization;

namespace XcatImageBuild.Build;

/// <summary>
/// One build at a time in a site: an OS file lock at <c>/var/lock/xcat/xcatimg.build.lock</c> (released when the
/// process dies), with the holder's process id and start time beside it so a second build can say who holds it.
/// </summary>
public sealed class BuildLock : IDisposable
{
    private const string LogicalPath = "/var/lock/xcat/xcatimg.build.lock";
    private readonly FileStream _stream;

    private BuildLock(FileStream stream)
    {
        _stream = stream;
    }

    /// <summary>Takes the site's build lock.</summary>
    /// <exception cref="XcatException">Another build holds it (its process id and start time are named).</exception>
    public static BuildLock Acquire(Site.XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var path = site.Map(LogicalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            File.WriteAllText(
                path + ".holder",
                string.Create(CultureInfo.InvariantCulture, $"process {Environment.ProcessId}, started {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss'Z'}\n"));
            return new BuildLock(stream);
        }
        catch (IOException)
        {
            var holder = File.Exists(path + ".holder") ? File.ReadAllText(path + ".holder").Trim() : "a process that has not said which";
            throw new XcatException(
                $"Another xcatimg build holds the site {site.Root.Directory} ({holder}); wait for it to finish and try again.");
        }
    }

    public void Dispose() => _stream.Dispose();
}
