using System.Globalization;
using XcatImageBuild.Site;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// A private directory inside the site where a bundle is unpacked and checked before anything lands
/// (<c>&lt;site&gt;/var/lib/xcatimg/staging/&lt;id&gt;/</c>). Its owner holds <c>&lt;id&gt;.lock</c>; a staging directory whose
/// lock nobody holds belongs to a process that died and is removed by <see cref="RemoveAbandoned"/>.
/// </summary>
public sealed class StagingArea : IDisposable
{
    /// <summary>Where staging directories live, as a logical path.</summary>
    public const string LogicalParent = "/var/lib/xcatimg/staging";

    private readonly FileStream _lock;
    private readonly Dictionary<string, StagingMember> _members = new(StringComparer.Ordinal);
    private readonly List<StagingMember> _inOrder = [];
    private StagingMember[]? _sorted;

    private StagingArea(string directory, FileStream lockStream)
    {
        Directory = directory;
        _lock = lockStream;
    }

    /// <summary>The staging directory on disk; bundle members are unpacked under it by their relative paths.</summary>
    public string Directory { get; }

    /// <summary>Every member unpacked so far, in bundle order.</summary>
    public IReadOnlyList<StagingMember> Members => _inOrder;

    /// <summary>Creates a new, empty staging directory in the site and takes its lock.</summary>
    public static StagingArea Create(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var parent = site.Map(LogicalParent);
        System.IO.Directory.CreateDirectory(parent);
        var id = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}.{Guid.NewGuid():N}");
        var lockStream = new FileStream(Path.Combine(parent, id + ".lock"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        var directory = Path.Combine(parent, id);
        System.IO.Directory.CreateDirectory(directory);
        return new StagingArea(directory, lockStream);
    }

    /// <summary>
    /// Removes the staging directories of imports that died (their lock is free). Live imports keep theirs.
    /// </summary>
    public static void RemoveAbandoned(XcatSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var parent = site.Map(LogicalParent);
        if (!System.IO.Directory.Exists(parent))
        {
            return;
        }

        foreach (var lockFile in System.IO.Directory.GetFiles(parent, "*.lock"))
        {
            FileStream probe;
            try
            {
                probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                continue;
            }

            using (probe)
            {
                DeleteTree(lockFile[..^".lock".Length]);
                File.Delete(lockFile);
            }
        }

        foreach (var orphan in System.IO.Directory.GetDirectories(parent).Where(d => !File.Exists(d + ".lock")))
        {
            DeleteTree(orphan);
        }
    }

    /// <summary>The on-disk path of a member path relative to the bundle root.</summary>
    public string PathOf(string memberPath) => Path.Combine(Directory, memberPath);

    /// <summary>
    /// The on-disk path of a member, made on first use for a symbolic link: the reader records links without
    /// creating them, since most never land anywhere and creating thousands of links costs the disk more than
    /// checking them costs us.
    /// </summary>
    /// <exception cref="IOException">The link cannot be created.</exception>
    public string Realize(StagingMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var path = PathOf(member.Path);
        if (member.Kind == StagingMemberKind.SymbolicLink && new FileInfo(path).LinkTarget is null)
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.CreateSymbolicLink(path, member.LinkTarget!);
        }

        return path;
    }

    /// <summary>
    /// Every member below the directory <paramref name="memberPath"/>, ordered by path. The first call sorts the
    /// members once; each call then costs a binary search and the members it returns, so planning many directory
    /// extras stays linear in the bundle.
    /// </summary>
    public IEnumerable<StagingMember> Below(string memberPath)
    {
        ArgumentNullException.ThrowIfNull(memberPath);
        _sorted ??= [.. _inOrder.OrderBy(m => m.Path, StringComparer.Ordinal)];
        var prefix = memberPath + "/";
        var low = 0;
        var high = _sorted.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(_sorted[middle].Path, prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        for (var i = low; i < _sorted.Length && _sorted[i].Path.StartsWith(prefix, StringComparison.Ordinal); i++)
        {
            yield return _sorted[i];
        }
    }

    /// <summary>The member at a relative path, or null.</summary>
    public StagingMember? Find(string memberPath) => _members.GetValueOrDefault(memberPath);

    /// <summary>Whether a member of that path was already unpacked.</summary>
    public bool Contains(string memberPath) => _members.ContainsKey(memberPath);

    /// <summary>The top-level names of the bundle (image directories, or files of an older design's bundle).</summary>
    public IReadOnlyList<string> TopLevelNames() => [.. _members.Values.Select(m => m.TopLevel).Distinct(StringComparer.Ordinal)];

    internal void Add(StagingMember member)
    {
        _members.Add(member.Path, member);
        _inOrder.Add(member);
        _sorted = null;
    }

    /// <summary>Removes the staging directory and releases its lock.</summary>
    public void Dispose()
    {
        DeleteTree(Directory);
        var lockPath = _lock.Name;
        File.Delete(lockPath);
        _lock.Dispose();
    }

    private static void DeleteTree(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.Delete(directory, recursive: true);
        }
    }
}
