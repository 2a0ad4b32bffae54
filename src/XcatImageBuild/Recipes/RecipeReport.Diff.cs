using System.Globalization;
using System.Text;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Recipes;

/// <summary>What <c>recipe show</c> prints of a change: the columns that change, old → new, and a diff of each file.</summary>
public static partial class RecipeReport
{
    // Beyond this many lines a file's diff would cost more than it tells; its line counts are printed instead.
    private const int DiffLineLimit = 4000;

    private static void ColumnChanges(StringBuilder text, XcatDatabase? database, PlannedImage image)
    {
        if (database is null)
        {
            return;
        }

        var changes = database.Read(session =>
        {
            var os = session.Find(XcatSchema.OsImage, image.Name);
            var linux = session.Find(XcatSchema.LinuxImage, image.Name);
            return os is null && linux is null
                ? []
                : Differences("osimage", os, image.OsImage).Concat(Differences("linuximage", linux, image.LinuxImage)).ToList();
        });
        if (changes.Count == 0)
        {
            return;
        }

        text.Append("  changes:\n");
        foreach (var change in changes)
        {
            text.Append("    ").Append(change).Append('\n');
        }
    }

    private static IEnumerable<string> Differences(string table, TableRow? row, IReadOnlyList<KeyValuePair<string, string?>> columns)
    {
        static string Show(string? value) => string.IsNullOrEmpty(value) ? "(unset)" : value;
        foreach (var (column, value) in columns)
        {
            var old = row?[column];
            if (!string.Equals(string.IsNullOrEmpty(old) ? null : old, value, StringComparison.Ordinal))
            {
                yield return $"{table}.{column}: {Show(old)} → {Show(value)}";
            }
        }
    }

    private static void FileDiff(StringBuilder text, SiteRoot root, PlannedFile file)
    {
        var path = root.Map(file.LogicalPath);
        if (!File.Exists(path))
        {
            return;
        }

        var before = Lines(File.ReadAllText(path));
        var after = Lines(file.Content);
        if (before.Length > DiffLineLimit || after.Length > DiffLineLimit)
        {
            text.Append(CultureInfo.InvariantCulture, $"      content changes ({before.Length} → {after.Length} lines)\n");
            return;
        }

        foreach (var line in Diff(before, after))
        {
            text.Append("      ").Append(line).Append('\n');
        }
    }

    private static string[] Lines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n');

    // A longest-common-subsequence diff: each run of changes under an '@@ -a +b @@' header with the lines' numbers,
    // removed lines as '-', added ones as '+'; unchanged lines are left out.
    private static List<string> Diff(string[] before, string[] after)
    {
        var common = new int[before.Length + 1, after.Length + 1];
        for (var i = before.Length - 1; i >= 0; i--)
        {
            for (var j = after.Length - 1; j >= 0; j--)
            {
                common[i, j] = before[i] == after[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
            }
        }

        var lines = new List<string>();
        int a = 0, b = 0;
        var inHunk = false;
        while (a < before.Length || b < after.Length)
        {
            if (a < before.Length && b < after.Length && before[a] == after[b])
            {
                a++;
                b++;
                inHunk = false;
                continue;
            }

            if (!inHunk)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"@@ -{a + 1} +{b + 1} @@"));
                inHunk = true;
            }

            if (b >= after.Length || (a < before.Length && common[a + 1, b] >= common[a, b + 1]))
            {
                lines.Add("-" + before[a++]);
            }
            else
            {
                lines.Add("+" + after[b++]);
            }
        }

        return lines;
    }
}
