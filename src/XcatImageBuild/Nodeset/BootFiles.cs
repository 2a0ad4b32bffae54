using System.Text;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Nodeset;

/// <summary>
/// The files nodeset will write under the tftp directory, planned in memory first so that every node is checked
/// before anything changes: files (each written to a temporary name and renamed into place), hard links and
/// symbolic links (each replacing what was there), and files to remove.
/// </summary>
public sealed class BootFiles
{
    private readonly List<(string Path, byte[] Content)> _files = [];
    private readonly List<(string Target, string Link)> _hardLinks = [];
    private readonly List<(string Link, string Target)> _symbolicLinks = [];
    private readonly List<string> _removals = [];

    /// <summary>The planned files by logical path, in the order they are written.</summary>
    public IEnumerable<(string Path, string Content)> Files => _files.Select(f => (f.Path, Encoding.UTF8.GetString(f.Content)));

    /// <summary>The planned hard links: the link's logical path and the logical path of the file it shares.</summary>
    public IEnumerable<(string Target, string Link)> HardLinks => _hardLinks;

    /// <summary>The planned symbolic links: the link's logical path and its (relative) target.</summary>
    public IEnumerable<(string Link, string Target)> SymbolicLinks => _symbolicLinks;

    /// <summary>Plans a file with this text.</summary>
    public void Write(string logicalPath, string content) => _files.Add((logicalPath, Encoding.UTF8.GetBytes(content)));

    /// <summary>Plans <paramref name="link"/> as a hard link to the planned or existing file <paramref name="target"/>.</summary>
    public void HardLink(string target, string link) => _hardLinks.Add((target, link));

    /// <summary>Plans <paramref name="link"/> as a symbolic link whose text is <paramref name="target"/>.</summary>
    public void SymbolicLink(string link, string target) => _symbolicLinks.Add((link, target));

    /// <summary>Plans the removal of a file if it exists.</summary>
    public void Remove(string logicalPath) => _removals.Add(logicalPath);

    /// <summary>Writes everything planned into the site.</summary>
    /// <exception cref="XcatException">A file cannot be written; the message names it.</exception>
    public void Commit(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        foreach (var removal in _removals)
        {
            var path = site.Map(removal);
            if (File.Exists(path) || new FileInfo(path).LinkTarget is not null)
            {
                Guard(removal, () => File.Delete(path));
            }
        }

        // A node planned twice gets its last file; each file is written once.
        // A file that already holds exactly this text is left as it is: nodeset run again for the same image rewrites nothing.
        var files = _files.GroupBy(f => f.Path, StringComparer.Ordinal).Select(g => g.Last())
            .Where(f => !Holds(site.Map(f.Path), f.Content))
            .ToList();
        foreach (var directory in files.Select(f => Path.GetDirectoryName(site.Map(f.Path))!).Distinct(StringComparer.Ordinal))
        {
            Guard(directory, () => Directory.CreateDirectory(directory));
        }

        // rename replaces a file in one step; the hard links made from the old file keep the old content until relinked.
        // All the files are flushed together: one file system flush, not two per file.
        if (files.Count > 0)
        {
            Guard(files.Count == 1 ? files[0].Path : $"the {files.Count} boot files", () =>
                AtomicFile.WriteMany([.. files.Select(f => (site.Map(f.Path), f.Content, (UnixFileMode)0x1A4))]));
        }

        foreach (var (target, link) in _hardLinks)
        {
            var linkPath = site.Map(link);
            Guard(link, () =>
            {
                if (File.Exists(linkPath))
                {
                    File.Delete(linkPath);
                }

                NativeLink.Hard(site.Map(target), linkPath);
            });
        }

        foreach (var (link, target) in _symbolicLinks)
        {
            var linkPath = site.Map(link);
            Guard(link, () =>
            {
                if (File.Exists(linkPath) || new FileInfo(linkPath).LinkTarget is not null)
                {
                    File.Delete(linkPath);
                }

                File.CreateSymbolicLink(linkPath, target);
            });
        }
    }

    private static bool Holds(string path, byte[] content)
    {
        var file = new FileInfo(path);
        if (!file.Exists || file.LinkTarget is not null || file.Length != content.Length
            || (file.UnixFileMode & (UnixFileMode)0xFFF) != (UnixFileMode)0x1A4)
        {
            return false;
        }

        return File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
    }

    private static void Guard(string logicalPath, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot write {logicalPath}: {e.Message}", 1, null, e);
        }
    }
}
