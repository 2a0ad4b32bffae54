using System.Globalization;
using System.Text;
using XcatImageBuild.Cli;
using XcatImageBuild.Recipes;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Recipes;

/// <summary>Shared helpers: the repository's example recipes, a test-only recipe cache, and a dump of what apply wrote.</summary>
internal static class RecipeTesting
{
    /// <summary>A cache directory for every test, so tests never write into the user's ~/.cache.</summary>
    public static readonly string CacheDirectory = Path.Combine(Path.GetTempPath(), "xcatimg-tests-recipe-cache");

    /// <summary>This process's environment with the test cache as the recipe cache.</summary>
    public static CliEnvironment Environment => CliEnvironment.FromProcess().With(RecipeCache.EnvironmentVariable, CacheDirectory);

    /// <summary>The repository's <c>recipes/</c> directory.</summary>
    public static string ExamplesDirectory
    {
        get
        {
            var directory = AppContext.BaseDirectory;
            while (!File.Exists(Path.Combine(directory, "XcatImageBuild.sln")))
            {
                directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("No XcatImageBuild.sln above the tests.");
            }

            return Path.Combine(directory, "recipes");
        }
    }

    public static RecipeCache Cache => new(CacheDirectory);

    /// <summary>Runs xcatimg against the site with the test cache in place.</summary>
    public static CliResult Run(TempSite site, params string[] args) => site.Run(Environment, args);

    /// <summary>A directory for hand-written recipes, removed with the returned handle.</summary>
    public static TempDirectory NewRecipeDirectory() => new();

    /// <summary>The osimage and linuximage tables and every file under the site's /install/custom, with modes.</summary>
    public static string DumpCustom(TempSite site)
    {
        var text = new StringBuilder();
        text.Append("== tabdump osimage\n").Append(site.Run("tabdump", "osimage").Output);
        text.Append("== tabdump linuximage\n").Append(site.Run("tabdump", "linuximage").Output);
        var custom = site.Map("/install/custom");
        if (Directory.Exists(custom))
        {
            foreach (var file in Directory.EnumerateFiles(custom, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var mode = Convert.ToString((int)File.GetUnixFileMode(file), 8).PadLeft(4, '0');
                text.Append(CultureInfo.InvariantCulture, $"== {site.Site.Root.ToLogical(file)} ({mode})\n");
                text.Append(File.ReadAllText(file));
            }
        }

        return text.ToString();
    }

    /// <summary>Every file under the site with its bytes and mtime, to prove that nothing changed.</summary>
    public static Dictionary<string, (string Content, DateTime Modified)> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".sqlite", StringComparison.Ordinal))
            .ToDictionary(f => f, f => (Convert.ToBase64String(File.ReadAllBytes(f)), File.GetLastWriteTimeUtc(f)), StringComparer.Ordinal);
}
