using System.Security.Cryptography;
using XcatImageBuild.Processes;

namespace XcatImageBuild.IntegrationTests.Genimage;

/// <summary>
/// Compares two root trees as a reproducibility check does: the set of paths, and for each its type, mode, owner,
/// size, mtime, link target and (for files) SHA-256 of the content. Metadata comes from the real <c>find</c>.
/// </summary>
public static class TreeDifferences
{
    /// <summary>Each differing path with what differs, sorted.</summary>
    public static IReadOnlyList<string> Between(string first, string second) => Between(Describe(first), Describe(second));

    /// <summary>Each path that differs between two trees described by <see cref="Describe"/>, with what differs, sorted.</summary>
    public static IReadOnlyList<string> Between(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        var differences = new List<string>();
        foreach (var path in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            if (!a.TryGetValue(path, out var left))
            {
                differences.Add($"{path}: only in the second tree");
            }
            else if (!b.TryGetValue(path, out var right))
            {
                differences.Add($"{path}: only in the first tree");
            }
            else if (left != right)
            {
                differences.Add($"{path}: {left} != {right}");
            }
        }

        return differences;
    }

    /// <summary>Every path below the root with its type, mode, owner, size, mtime, link target and content digest.</summary>
    public static Dictionary<string, string> Describe(string root)
    {
        // %y type, %m mode, %U:%G owner, %s size, %T@ mtime, %l link target, %P path relative to the root.
        var listing = new ProcessRunner().Run(new ToolCommand("find", [root, "-xdev", "-printf", "%P\\t%y %m %U:%G %s %T@ %l\\n"])).StandardOutput;
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            var path = line[..tab];
            var description = line[(tab + 1)..];
            if (description.StartsWith("d ", StringComparison.Ordinal))
            {
                // A directory's size depends on the file system's history, not on its contents.
                var fields = description.Split(' ');
                fields[3] = "-";
                description = string.Join(' ', fields);
            }
            else if (description.StartsWith("f ", StringComparison.Ordinal))
            {
                using var stream = File.OpenRead(Path.Combine(root, path));
                description += " sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            entries[path] = description;
        }

        return entries;
    }
}
