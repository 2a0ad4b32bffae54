using XcatImageBuild.Formats;
using XcatImageBuild.Lists;

namespace XcatImageBuild.Packimage;

/// <summary>Which files of rootimg go into the archive (xcat-spec §2.5).</summary>
internal static class ImageSelection
{
    /// <summary>
    /// The scanned files the exlist selects, in scan order: those no exclude matches, plus those an include matches.
    /// Unlike xCAT, an included file keeps its parent directories even when an exclude dropped them, so it is
    /// extracted with the directories' real owners and modes (xCAT #4488).
    /// </summary>
    public static List<(string Name, FileStatus Status)> Select(IReadOnlyList<(string Name, FileStatus Status)> scanned, ExcludeList list)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal) { "." };
        foreach (var (name, _) in scanned)
        {
            if (name == "." || !list.Selects(name))
            {
                continue;
            }

            // Walk up until a parent that is already in; a parent is always scanned before its children.
            for (var path = name; path.Length > 1 && chosen.Add(path); path = path[..path.LastIndexOf('/')])
            {
            }
        }

        return [.. scanned.Where(f => chosen.Contains(f.Name))];
    }
}
