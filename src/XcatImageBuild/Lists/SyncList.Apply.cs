using XcatImageBuild.Formats;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Lists;

/// <summary>Applying a synclist to a root image, as packimage does with <c>xdcp -i &lt;rootimg&gt; -F &lt;synclist&gt;</c>.</summary>
public sealed partial class SyncList
{
    /// <summary>
    /// Where xCAT's node-side append script keeps the original of an appended file (site.nodesyncfiledir default plus
    /// <c>org</c>), so that appending again rebuilds from the original instead of growing the file on every pack.
    /// </summary>
    public const string AppendOriginals = "/var/xcat/node/syncfiles/org";

    /// <summary>
    /// Every problem that would stop <see cref="ApplyToImage"/>: sources that do not exist (lines limited to a noderange
    /// are not applied to an image, so they are not checked).
    /// </summary>
    /// <param name="sitePath">Maps a logical management-node path to the file on disk.</param>
    public IReadOnlyList<string> Check(Func<string, string> sitePath)
    {
        ArgumentNullException.ThrowIfNull(sitePath);
        var problems = new List<string>();
        foreach (var entry in Files.Concat(Append).Concat(Merge).Where(e => e.NodeRange is null))
        {
            foreach (var source in entry.Sources)
            {
                if (!IsGlob(source) && !System.IO.Path.Exists(sitePath(source)))
                {
                    problems.Add($"{Path ?? "synclist"}:{entry.LineNumber}: the source {source} does not exist.");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Copies the plain lines into the image (modes, owners and times kept, like xdcp's rsync <c>-pogt</c>), appends
    /// the APPEND sources to their destinations and merges the MERGE sources into passwd/shadow/group. EXECUTE and
    /// EXECUTEALWAYS scripts run on nodes after a sync, never at pack time: they are reported and skipped. Lines limited
    /// to a noderange are skipped with a warning, because an image is shared by every node that boots it.
    /// </summary>
    /// <param name="sitePath">Maps a logical management-node path to the file on disk.</param>
    /// <param name="imagePath">Maps an absolute path inside the image to the file on disk, never leaving the image.</param>
    /// <param name="progress">Receives warnings.</param>
    /// <exception cref="XcatException">A source is missing or a copy fails.</exception>
    public void ApplyToImage(Func<string, string> sitePath, Func<string, string> imagePath, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(sitePath);
        ArgumentNullException.ThrowIfNull(imagePath);
        ArgumentNullException.ThrowIfNull(progress);
        var problems = Check(sitePath);
        if (problems.Count > 0)
        {
            throw XcatException.FromMany(problems);
        }

        try
        {
            foreach (var entry in Files.Where(e => Applies(e, progress)))
            {
                CopyEntry(entry, sitePath, imagePath);
            }

            foreach (var entry in Append.Where(e => Applies(e, progress)))
            {
                AppendEntry(entry, sitePath, imagePath, progress);
            }

            foreach (var entry in Merge.Where(e => Applies(e, progress)))
            {
                MergeEntry(entry, sitePath, imagePath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot apply the synclist {Path}: {e.Message}", 1, null, e);
        }

        foreach (var script in Execute.Concat(ExecuteAlways))
        {
            progress.Info($"{Path}: {script} runs on the nodes after a sync; not run while packing the image.");
        }
    }

    private bool Applies(SyncListEntry entry, IProgressSink progress)
    {
        if (entry.NodeRange is null)
        {
            return true;
        }

        progress.Warning($"{Path}:{entry.LineNumber}: the line is limited to the nodes ({entry.NodeRange}); an image is shared by all its nodes, so it is not applied to the image.");
        return false;
    }

    private static bool IsGlob(string source) => source.AsSpan().IndexOfAny('*', '?', '[') >= 0;

    // A trailing glob (/home/mikev/*) is expanded on the management node; the names are copied in ordinal order.
    private static IEnumerable<(string Logical, string Physical)> ExpandSources(SyncListEntry entry, Func<string, string> sitePath)
    {
        foreach (var source in entry.Sources)
        {
            if (!IsGlob(source))
            {
                yield return (source, sitePath(source));
                continue;
            }

            var directory = System.IO.Path.GetDirectoryName(source) ?? "/";
            var glob = new PathGlob(System.IO.Path.GetFileName(source));
            var physical = sitePath(directory);
            if (!Directory.Exists(physical))
            {
                continue;
            }

            foreach (var match in Directory.EnumerateFileSystemEntries(physical).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal))
            {
                if (glob.IsMatch(match!))
                {
                    yield return ($"{directory.TrimEnd('/')}/{match}", System.IO.Path.Combine(physical, match!));
                }
            }
        }
    }

    private static void CopyEntry(SyncListEntry entry, Func<string, string> sitePath, Func<string, string> imagePath)
    {
        foreach (var (logical, physical) in ExpandSources(entry, sitePath))
        {
            var destination = entry.Destination;
            if (entry.DestinationIsDirectory || IsGlob(entry.Sources[0]) || Directory.Exists(imagePath(destination)))
            {
                destination = $"{destination.TrimEnd('/')}/{System.IO.Path.GetFileName(logical)}";
            }

            CopyTree(physical, destination, imagePath);
        }
    }

    private static void CopyTree(string source, string destination, Func<string, string> imagePath)
    {
        var target = imagePath(destination);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        var info = NativeFile.Stat(source);
        if (info.Kind == FileKind.Directory)
        {
            Directory.CreateDirectory(target);
            foreach (var child in Directory.EnumerateFileSystemEntries(source).Order(StringComparer.Ordinal))
            {
                CopyTree(child, $"{destination.TrimEnd('/')}/{System.IO.Path.GetFileName(child)}", imagePath);
            }
        }
        else if (info.Kind == FileKind.SymbolicLink)
        {
            if (System.IO.Path.Exists(target) || new FileInfo(target).LinkTarget is not null)
            {
                File.Delete(target);
            }

            File.CreateSymbolicLink(target, info.LinkTarget!);
        }
        else
        {
            File.Copy(source, target, overwrite: true);
        }

        NativeFile.CopyMetadata(info, target);
    }

    private void AppendEntry(SyncListEntry entry, Func<string, string> sitePath, Func<string, string> imagePath, IProgressSink progress)
    {
        var target = imagePath(entry.Destination);
        if (!File.Exists(target))
        {
            progress.Warning($"{Path}:{entry.LineNumber}: APPEND needs {entry.Destination} to exist in the image; skipped.");
            return;
        }

        var original = imagePath($"{AppendOriginals}{Site.LogicalPath.Normalize(entry.Destination)}");
        if (!File.Exists(original))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(original)!);
            File.Copy(target, original);
        }

        using var output = new FileStream(target, FileMode.Create, FileAccess.Write);
        using (var kept = File.OpenRead(original))
        {
            kept.CopyTo(output);
        }

        foreach (var (_, physical) in ExpandSources(entry, sitePath))
        {
            using var input = File.OpenRead(physical);
            input.CopyTo(output);
        }
    }

    // Each source line replaces the destination line for the same name (the field before the first ':') or is added.
    private static void MergeEntry(SyncListEntry entry, Func<string, string> sitePath, Func<string, string> imagePath)
    {
        var target = imagePath(entry.Destination);
        var lines = File.Exists(target) ? File.ReadAllLines(target).ToList() : [];
        foreach (var (_, physical) in ExpandSources(entry, sitePath))
        {
            foreach (var line in File.ReadAllLines(physical).Where(l => l.Contains(':', StringComparison.Ordinal)))
            {
                var name = line[..line.IndexOf(':', StringComparison.Ordinal)];
                var at = lines.FindIndex(l => l.StartsWith(name + ":", StringComparison.Ordinal));
                if (at >= 0)
                {
                    lines[at] = line;
                }
                else
                {
                    lines.Add(line);
                }
            }
        }

        var mode = File.Exists(target) ? File.GetUnixFileMode(target) : (UnixFileMode?)null;
        File.WriteAllText(target, string.Concat(lines.Select(l => l + "\n")));
        if (mode is { } kept)
        {
            File.SetUnixFileMode(target, kept);
        }
    }
}
