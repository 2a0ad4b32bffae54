using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace XcatImageBuild.Recipes;

/// <summary>
/// Compiles a recipe script (and what it <c>#load</c>s) with Roslyn into an assembly image. Only a cache miss comes
/// here, so Roslyn is loaded into the process only when a recipe changed.
/// </summary>
internal static class RecipeCompiler
{
    /// <summary>The namespaces a recipe can use without <c>using</c>.</summary>
    private static readonly string[] Imports =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "XcatImageBuild.Recipes"];

    /// <summary>Compiles the recipe into a loadable assembly image.</summary>
    /// <exception cref="XcatException">The recipe does not compile; every error is listed as <c>file:line:column: error CSnnnn: message</c>.</exception>
    public static byte[] Compile(RecipeSources sources)
    {
        var directory = Path.GetDirectoryName(sources.RecipeFile)!;
        var options = ScriptOptions.Default
            .WithFilePath(sources.RecipeFile)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, directory))
            .WithMetadataResolver(ScriptMetadataResolver.Default.WithBaseDirectory(directory))
            .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(RecipeGlobals).Assembly)
            .WithImports(Imports)
            .WithEmitDebugInformation(false);
        var code = File.ReadAllText(sources.RecipeFile);
        var script = CSharpScript.Create<object>(code, options, typeof(RecipeGlobals));
        var compilation = script.GetCompilation();
        // A recipe is a few small methods: binding them on several threads costs more than it saves (measured with
        // benchmarks/RecipeBenchmark: about a fifth less CPU time and wall time on a cold compile).
        compilation = compilation.WithOptions(compilation.Options.WithConcurrentBuild(false));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        // Emit reports every compile error; asking the compilation again would bind the whole script a second time.
        var errors = result.Diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .OrderBy(d => d.Location.GetMappedLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.GetMappedLineSpan().StartLinePosition)
            .ToList();
        if (errors.Count > 0)
        {
            throw XcatException.FromMany([.. errors.Select(d => Describe(d, directory))]);
        }

        return image.ToArray();
    }

    private static string Describe(Diagnostic diagnostic, string directory)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var file = span.Path.Length == 0 ? "recipe" : SourceLocation.ShowFile(span.Path, directory);
        var start = span.StartLinePosition;
        return $"{file}:{start.Line + 1}:{start.Character + 1}: error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
