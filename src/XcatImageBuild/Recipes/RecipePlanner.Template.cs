using System.Security.Cryptography;
using System.Text;
using XcatImageBuild.Distributions;
using XcatImageBuild.Templates;

namespace XcatImageBuild.Recipes;

/// <summary>The install template of a diskful image.</summary>
public sealed partial class RecipePlanner
{
    /// <summary>Renders the recipe's template, or the one shipped for the platform; null (and a problem) when it cannot.</summary>
    private string? RenderTemplate(ImageDefinition image, Distribution distribution)
    {
        string text;
        string name;
        if (image.TemplateFile is not null)
        {
            name = SourceLocation.ShowFile(image.TemplateFile, _recipeDirectory);
            try
            {
                text = File.ReadAllText(image.TemplateFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Problem(image.TemplateAt, image, $"the template {name} cannot be read: {e.Message}");
                return null;
            }
        }
        else
        {
            var shipped = distribution.InstallTemplate;
            if (shipped is null)
            {
                Problem(image.At, image, $"no install template is shipped for platform '{distribution.Platform}'; name one with .Template(\"file\").");
                return null;
            }

            name = shipped;
            text = InstallTemplate.Shipped(shipped);
        }

        var values = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = image.Name,
            ["osvers"] = image.OsVers,
            ["osarch"] = image.OsArch,
            ["profile"] = image.Profile,
            ["platform"] = distribution.Platform,
            ["description"] = image.Description ?? string.Empty,
            ["kernelArguments"] = image.KernelArguments ?? string.Empty,
            ["values"] = new Dictionary<string, object?>(image.TemplateValues.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)), StringComparer.Ordinal),
        };
        // Rendered templates are cached by everything they are rendered from: compiling a Handlebars template costs
        // more than evaluating a cached recipe.
        var key = TemplateKey(text, values);
        var cached = _cache?.FindText(key);
        if (cached is not null)
        {
            return cached;
        }

        try
        {
            var rendered = InstallTemplate.Render(text, values, name);
            _cache?.StoreText(key, rendered);
            return rendered;
        }
        catch (XcatException e)
        {
            Problem(image.TemplateAt ?? image.At, image, OneLine(e.Message));
            return null;
        }
    }

    private static string TemplateKey(string template, Dictionary<string, object?> values)
    {
        var text = new StringBuilder("xcatimg-template-1\n").Append(template).Append('\0');
        foreach (var (name, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            var shown = value is IReadOnlyDictionary<string, object?> nested
                ? string.Join('\0', nested.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"))
                : value?.ToString();
            text.Append(name).Append('=').Append(shown).Append('\0');
        }

        return "template-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
