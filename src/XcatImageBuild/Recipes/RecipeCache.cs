namespace XcatImageBuild.Recipes;

/// <summary>
/// Compiled recipes on disk, one assembly per content hash (see <see cref="Locate"/> for where). A cache that cannot be
/// written only costs a compile; it never fails a command.
/// </summary>
public sealed class RecipeCache
{
    /// <summary>The environment variable the command line reads the cache directory from.</summary>
    public const string EnvironmentVariable = "XCATIMG_RECIPE_CACHE";

    public RecipeCache(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
    }

    /// <summary>Where the compiled recipes are kept.</summary>
    public string Directory { get; }

    /// <summary>
    /// The cache directory by the XDG rules: <paramref name="configured"/> (<c>$XCATIMG_RECIPE_CACHE</c>), else
    /// <c>$XDG_CACHE_HOME/xcatimg/recipes</c>, else <c>&lt;home&gt;/.cache/xcatimg/recipes</c>.
    /// </summary>
    /// <param name="configured">The directory asked for, or null or empty for the default.</param>
    /// <param name="cacheHome">The user's cache directory (<c>$XDG_CACHE_HOME</c>), or null or empty.</param>
    /// <param name="home">The user's home directory.</param>
    public static RecipeCache Locate(string? configured, string? cacheHome, string home)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            return new RecipeCache(configured);
        }

        var cache = string.IsNullOrEmpty(cacheHome) ? Path.Combine(home, ".cache") : cacheHome;
        return new RecipeCache(Path.Combine(cache, "xcatimg", "recipes"));
    }

    /// <summary>The compiled assembly for <paramref name="hash"/>, or null when it is not cached.</summary>
    public byte[]? Find(string hash)
    {
        try
        {
            return File.ReadAllBytes(PathOf(hash));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>A rendered text kept under <paramref name="hash"/> (see <see cref="StoreText"/>), or null.</summary>
    public string? FindText(string hash)
    {
        try
        {
            return File.ReadAllText(Path.Combine(Directory, hash + ".txt"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Keeps a rendered text (an install template) under the hash of everything it was rendered from, so a warm
    /// <c>recipe show</c> does not pay for compiling the template again.
    /// </summary>
    public void StoreText(string hash, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        StoreFile(Path.Combine(Directory, hash + ".txt"), System.Text.Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Keeps a compiled assembly; replaced whole, so readers never see half a file.</summary>
    public void Store(string hash, byte[] assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        StoreFile(PathOf(hash), assembly);
    }

    private void StoreFile(string path, byte[] content)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            Site.Transactions.AtomicFile.Write(path, content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written costs the next run a compile, nothing more.
        }
    }

    private string PathOf(string hash) => Path.Combine(Directory, hash + ".dll");
}
