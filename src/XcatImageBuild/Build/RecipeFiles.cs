namespace XcatImageBuild.Build;

/// <summary>
/// The recipe files a command line names: files, directories (their <c>*.csx</c>, not those under it, which are
/// <c>#load</c>ed parts) and globs (<c>recipes/*.csx</c>, <c>recipes/**/*.csx</c>), in the order named.
/// </summary>
public static class RecipeFiles
{
    /// <summary>Resolves the names against <paramref name="workingDirectory"/>.</summary>
    /// <returns>The files found, and a problem for each name that matches nothing.</returns>
    public static (IReadOnlyList<string> Files, IReadOnlyList<string> Problems) Resolve(IEnumerable<string> names, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(names);
        var files = new List<string>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            var path = Path.GetFullPath(name, workingDirectory);
            IEnumerable<string> found;
            if (name.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                found = Glob(path);
            }
            else if (Directory.Exists(path))
            {
                found = Directory.EnumerateFiles(path, "*.csx");
            }
            else
            {
                found = File.Exists(path) ? [path] : [];
            }

            var matched = found.Order(StringComparer.Ordinal).ToList();
            if (matched.Count == 0)
            {
                problems.Add(name.AsSpan().IndexOfAny('*', '?') >= 0
                    ? $"The recipe pattern {name} matches no file."
                    : $"The recipe {name} does not exist ({path}).");
            }

            files.AddRange(matched.Where(f => !files.Contains(f, StringComparer.Ordinal)));
        }

        return (files, problems);
    }

    // The directory part before the first wildcard is walked; '**' in it means any depth below.
    private static IEnumerable<string> Glob(string pattern)
    {
        var directory = Path.GetDirectoryName(pattern)!;
        var filePattern = Path.GetFileName(pattern);
        var recursive = false;
        if (directory.EndsWith("/**", StringComparison.Ordinal))
        {
            directory = directory[..^3];
            recursive = true;
        }

        if (directory.AsSpan().IndexOfAny('*', '?') >= 0 || !Directory.Exists(directory))
        {
            return [];
        }

        return Directory.EnumerateFiles(directory, filePattern, recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly);
    }
}
