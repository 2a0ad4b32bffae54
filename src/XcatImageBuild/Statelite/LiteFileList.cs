using System.Text;
using System.Text.RegularExpressions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Statelite;

/// <summary>
/// The litefile entries of one image, as xCAT's <c>ilitefile IMAGE</c> lists them and liteimg reads them
/// (litetree.pm getNodeData/mergeArrays, statelite.pm): the rows of <c>osimage.groups</c>, of image <c>''</c>, of
/// <c>ALL</c> and of the image itself, a later one replacing an earlier one for the same file; a blank option is
/// <c>tmpfs,rw</c>, which liteimg reads as <c>link</c>; <c>/etc/mtab</c> is always there as <c>link</c>. Sorted by file.
/// The lines are kept as ilitefile prints them, since they are what <c>.statelite/litefile.save</c> holds.
/// </summary>
public sealed partial class LiteFileList
{
    /// <summary>The options liteimg accepts (statelite.pm), in its message's order.</summary>
    public static readonly IReadOnlyList<string> ValidOptions =
        ["tmpfs", "persistent", "localdisk", "rw", "ro", "con", "link", "tmpfs,rw", "link,ro", "link,persistent", "link,con"];

    private LiteFileList(string image, IReadOnlyList<string> lines)
    {
        Image = image;
        Lines = lines;
        Entries = [.. lines.Select(Parse).OfType<LiteFileEntry>()];
    }

    /// <summary>The image the entries are for.</summary>
    public string Image { get; }

    /// <summary>The lines as ilitefile prints them (<c>IMAGE: link          /etc/mtab</c>), after liteimg's rewrite of tmpfs,rw.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The entries, sorted by file.</summary>
    public IReadOnlyList<LiteFileEntry> Entries { get; }

    /// <summary>The text of <c>.statelite/litefile.save</c>: one line each.</summary>
    public string SaveText => string.Concat(Lines.Select(l => l + "\n"));

    /// <summary>The entries that apply to <paramref name="image"/>, read from the litefile table.</summary>
    /// <param name="session">The site's tables.</param>
    /// <param name="image">The osimage.</param>
    /// <param name="groups">Its osimage.groups, or null.</param>
    public static LiteFileList Read(TableSession session, string image, string? groups)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(image);
        var owners = new List<string>();
        if (!string.IsNullOrEmpty(groups))
        {
            owners.Add(groups);
        }

        owners.AddRange([string.Empty, "ALL", image]);
        var options = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in owners.SelectMany(owner => session.Where(XcatSchema.LiteFile, "image", owner)).Where(r => !r.IsDisabled))
        {
            var file = row["file"];
            if (string.IsNullOrEmpty(file))
            {
                continue;
            }

            // mergeArrays: a blank option is tmpfs,rw for compatibility, and /etc/mtab is always tmpfs,rw.
            options[file] = string.IsNullOrEmpty(row["options"]) || file == "/etc/mtab" ? "tmpfs,rw" : row["options"]!;
        }

        options.TryAdd("/etc/mtab", "link");
        return new LiteFileList(image, [.. options.Select(o => LiteimgLine(image, o.Value, o.Key))]);
    }

    /// <summary>The list an earlier liteimg saved in <c>.statelite/litefile.save</c>; lines it cannot read are left out.</summary>
    public static LiteFileList FromSaved(string image, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new LiteFileList(image, [.. text.Split('\n').Where(l => l.Trim().Length > 0)]);
    }

    /// <summary>
    /// Every problem liteimg refuses the list for, in its words: an unknown option, a path that is not absolute or that
    /// climbs out of the root with <c>..</c>, <c>con</c> on a directory, and the parent/child combinations it forbids.
    /// </summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var line in Lines)
        {
            var fields = Whitespace().Split(line.Trim());
            var option = fields.Length > 1 ? fields[1] : string.Empty;
            var file = fields.Length > 2 ? fields[2] : string.Empty;
            if (!ValidOptions.Contains(option, StringComparer.Ordinal))
            {
                problems.Add($"{file} has invalid option. The valid options: {string.Join(' ', ValidOptions)}");
                continue;
            }

            if (!file.StartsWith('/'))
            {
                problems.Add($"{file} is not one absolute path.");
                continue;
            }

            if (file.Split('/').Any(part => part is "." or ".." || part.Any(char.IsControl)))
            {
                problems.Add($"{file} climbs out of the root image: a litefile path may not hold '.' or '..' components or control characters.");
                continue;
            }

            if (option.Contains("con", StringComparison.Ordinal) && file.EndsWith('/'))
            {
                problems.Add($"{file} is directory, don't use \"con\" as its option");
            }
        }

        if (problems.Count > 0)
        {
            return problems;
        }

        foreach (var parent in Entries)
        {
            var children = Entries.Where(e => ParentOf(e) == parent).ToList();
            if (children.Count == 0)
            {
                continue;
            }

            if (parent.Options.EndsWith("ro", StringComparison.Ordinal) || parent.Options.EndsWith("con", StringComparison.Ordinal))
            {
                problems.Add($"the directory \"{parent.File}\" should not be with \"ro\" or \"con\" as its option");
                continue;
            }

            foreach (var child in children)
            {
                if (parent.IsLink && child.Options == "link,ro")
                {
                    problems.Add($"Based on the option of {parent.File}, {child.File} should not use \"link,ro\" as its option");
                }
                else if (parent.IsLink && !child.IsLink)
                {
                    problems.Add($"Based on the option of {parent.File}, {child.File} can only use \"link\"-based options");
                }
                else if (parent.Options.Contains("persistent", StringComparison.Ordinal) && !child.Options.Contains("persistent", StringComparison.Ordinal))
                {
                    problems.Add($"{child.File} should have persistent option like {parent.File}");
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// The nearest entry that is a directory holding <paramref name="entry"/> (xCAT's parseLiteFiles), or null for a
    /// top-level entry.
    /// </summary>
    public LiteFileEntry? ParentOf(LiteFileEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        for (var directory = entry.Directory; directory != "/"; directory = directory[..Math.Max(directory.LastIndexOf('/'), 1)])
        {
            var parent = Entries.FirstOrDefault(e => e.File == directory + "/");
            if (parent is not null)
            {
                return parent;
            }
        }

        return null;
    }

    /// <summary>The entry for <paramref name="file"/>, or null.</summary>
    public LiteFileEntry? Find(string file) => Entries.FirstOrDefault(e => e.File == file);

    // ilitefile prints "IMAGE: %-13s FILE"; liteimg then replaces the first tmpfs,rw of each line by link, leaving the
    // padding that was there, so litefile.save holds exactly these bytes.
    private static string LiteimgLine(string image, string options, string file)
    {
        var line = new StringBuilder().Append(image).Append(": ").Append(options.PadRight(13)).Append(' ').Append(file).ToString();
        var at = line.IndexOf("tmpfs,rw", StringComparison.Ordinal);
        return at < 0 ? line : string.Concat(line.AsSpan(0, at), "link", line.AsSpan(at + "tmpfs,rw".Length));
    }

    private static LiteFileEntry? Parse(string line)
    {
        var fields = Whitespace().Split(line.Trim());
        return fields.Length >= 3 ? new LiteFileEntry(fields[1], fields[2]) : null;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
