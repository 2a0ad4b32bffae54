using XcatImageBuild.Templates;

namespace XcatImageBuild.Recipes;

/// <summary>The install template of a diskful image.</summary>
public sealed partial class RecipePlanner
{
    /// <summary>Renders the recipe's template, or the one shipped for the platform; null (and a problem) when it cannot.</summary>
    private string? RenderTemplate(ImageDefinition image, string platform)
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
            var shipped = InstallTemplate.ShippedNameFor(platform);
            if (shipped is null)
            {
                Problem(image.At, image, $"no install template is shipped for platform '{platform}'; name one with .Template(\"file\").");
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
            ["platform"] = platform,
            ["description"] = image.Description ?? string.Empty,
            ["kernelArguments"] = image.KernelArguments ?? string.Empty,
            ["values"] = new Dictionary<string, object?>(image.TemplateValues.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)), StringComparer.Ordinal),
        };
        try
        {
            return InstallTemplate.Render(text, values, name);
        }
        catch (XcatException e)
        {
            Problem(image.TemplateAt ?? image.At, image, OneLine(e.Message));
            return null;
        }
    }
}
