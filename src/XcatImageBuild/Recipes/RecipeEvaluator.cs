using System.Reflection;
using System.Runtime.Loader;

namespace XcatImageBuild.Recipes;

/// <summary>
/// Runs recipe scripts: reads the recipe and its <c>#load</c>s, takes the compiled assembly from the cache (or compiles
/// and caches it), and runs it against fresh <see cref="RecipeGlobals"/>. A compiled recipe runs in a collectible load
/// context that is unloaded afterwards.
/// </summary>
public sealed class RecipeEvaluator
{
    private readonly RecipeCache _cache;

    public RecipeEvaluator(RecipeCache cache)
    {
        ArgumentNullException.ThrowIfNull(cache);
        _cache = cache;
    }

    /// <summary>Evaluates the recipe at <paramref name="recipeFile"/>.</summary>
    /// <exception cref="XcatException">
    /// The recipe is missing, does not compile (every error with file, line and column), or throws while it runs.
    /// </exception>
    public RecipeEvaluation Evaluate(string recipeFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(recipeFile);
        var sources = RecipeSources.Read(recipeFile);
        var globals = new RecipeGlobals(sources.RecipeFile);
        var cached = _cache.Find(sources.Hash);
        if (cached is not null && Run(cached, globals, sources))
        {
            return new RecipeEvaluation(sources.RecipeFile, sources.Files, sources.Hash, compiled: false, globals.Images);
        }

        // Not cached, or the cached file is damaged: compile, keep, run.
        var assembly = RecipeCompiler.Compile(sources);
        _cache.Store(sources.Hash, assembly);
        globals = new RecipeGlobals(sources.RecipeFile);
        if (!Run(assembly, globals, sources))
        {
            throw new XcatException($"The compiled recipe {sources.RecipeFile} cannot be loaded.");
        }

        return new RecipeEvaluation(sources.RecipeFile, sources.Files, sources.Hash, compiled: true, globals.Images);
    }

    /// <summary>Runs a compiled recipe; false when the assembly cannot be loaded as a recipe (nothing ran then).</summary>
    private static bool Run(byte[] assembly, RecipeGlobals globals, RecipeSources sources)
    {
        var context = new AssemblyLoadContext($"recipe-{sources.Hash[..12]}", isCollectible: true);
        try
        {
            MethodInfo? factory;
            try
            {
                using var image = new MemoryStream(assembly, writable: false);
                // A script compiles to the class "Submission#0" whose static "<Factory>" takes the submission array:
                // slot 0 holds the globals object, slot 1 receives the submission itself.
                factory = context.LoadFromStream(image).GetType("Submission#0")
                    ?.GetMethod("<Factory>", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static);
            }
            catch (BadImageFormatException)
            {
                return false;
            }

            if (factory is null)
            {
                return false;
            }

            var task = (Task)factory.Invoke(null, [new object?[] { globals, null }])!;
            task.GetAwaiter().GetResult();
            return true;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw Failure(sources, e.InnerException);
        }
        catch (Exception e) when (e is not XcatException and not OutOfMemoryException)
        {
            throw Failure(sources, e);
        }
        finally
        {
            context.Unload();
        }
    }

    private static XcatException Failure(RecipeSources sources, Exception e) => e as XcatException
        ?? new XcatException($"The recipe {sources.RecipeFile} failed while running: {e.GetType().Name}: {e.Message}", 1, null, e);
}
