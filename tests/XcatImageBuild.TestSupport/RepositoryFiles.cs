namespace XcatImageBuild.Testing;

/// <summary>The checkout the tests were built from: its root, and copies of its trees for tests that change them.</summary>
public static class RepositoryFiles
{
    /// <summary>The checkout's root, the directory holding <c>XcatImageBuild.sln</c>.</summary>
    public static string Root
    {
        get
        {
            var directory = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(directory, "XcatImageBuild.sln")))
            {
                directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("No XcatImageBuild.sln above the tests.");
            }

            return directory;
        }
    }

    /// <summary>Copies every file below <paramref name="from"/> to the same place below <paramref name="to"/>.</summary>
    public static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
