using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace XcatImageBuild.Recipes;

/// <summary>
/// A recipe and every script it <c>#load</c>s (transitively, each path relative to the script that names it), with the
/// content hash that keys the compiled-recipe cache. A change to any of them, to the recipe's path or to the engine
/// gives another hash.
/// </summary>
internal sealed partial class RecipeSources
{
    private RecipeSources(string recipeFile, IReadOnlyList<string> files, string hash)
    {
        RecipeFile = recipeFile;
        Files = files;
        Hash = hash;
    }

    public string RecipeFile { get; }

    /// <summary>The recipe, then each loaded script once, in the order they are found.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Lower-case hex SHA-256 over the engine's identity and every file's path and bytes.</summary>
    public string Hash { get; }

    /// <exception cref="XcatException">The recipe file cannot be read.</exception>
    public static RecipeSources Read(string recipeFile)
    {
        var root = Path.GetFullPath(recipeFile);
        if (!File.Exists(root))
        {
            throw new XcatException($"The recipe file {recipeFile} does not exist.");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // Compiled recipes bind to this engine's API, so a rebuilt engine must not reuse them.
        hash.AppendData(Encoding.UTF8.GetBytes($"xcatimg-recipe-1\n{typeof(RecipeSources).Assembly.ManifestModule.ModuleVersionId}\n"));
        var files = new List<string>();
        var pending = new Queue<string>([root]);
        while (pending.TryDequeue(out var file))
        {
            if (files.Contains(file, StringComparer.Ordinal))
            {
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A #load of a missing file is reported by the compiler with its line; the hash still covers the name.
                hash.AppendData(Encoding.UTF8.GetBytes($"{file}\nmissing\n"));
                files.Add(file);
                continue;
            }

            files.Add(file);
            hash.AppendData(Encoding.UTF8.GetBytes($"{file}\n{bytes.Length}\n"));
            hash.AppendData(bytes);
            var directory = Path.GetDirectoryName(file)!;
            foreach (Match load in LoadDirective().Matches(Encoding.UTF8.GetString(bytes)))
            {
                pending.Enqueue(Path.GetFullPath(Path.Combine(directory, load.Groups[1].Value)));
            }
        }

        return new RecipeSources(root, files, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    [GeneratedRegex("""^\s*#load\s+"([^"]+)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex LoadDirective();
}
