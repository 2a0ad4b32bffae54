using System.Globalization;
using System.Text;
using System.Text.Json;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Recipes;

/// <summary>
/// <c>recipe show</c>'s output: every image with its rows, the files apply would write and what would change, as
/// text or JSON. Reads the site to tell new, changed and unchanged apart — the text names each column that changes
/// (old → new) and prints a diff of each file that changes; writes nothing.
/// </summary>
public static partial class RecipeReport
{
    /// <summary>The plan as text: per image its source line, row columns, files and extras.</summary>
    public static string Text(RecipePlan plan, SiteRoot root, XcatDatabase? database)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(root);
        var directory = plan.Evaluation.RecipeDirectory;
        var text = new StringBuilder();
        foreach (var image in plan.Images)
        {
            text.Append(CultureInfo.InvariantCulture, $"image {image.Name} ({image.Definition.At.Describe(directory)}): rows {Change(database, image)}\n");
            Columns(text, "osimage", image.OsImage);
            Columns(text, "linuximage", image.LinuxImage);
            ColumnChanges(text, database, image);
            if (image.Files.Count > 0)
            {
                text.Append("  files:\n");
                foreach (var file in image.Files)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    {file.LogicalPath} ({Mode(file.Mode)}, {file.Purpose}): {Change(root, file)}\n");
                    if (RecipeApplier.Compare(root, file) == FileChange.Changed)
                    {
                        FileDiff(text, root, file);
                    }
                }
            }

            if (image.Definition.Extras.Count > 0)
            {
                text.Append("  extras (imgexport -e):\n");
                foreach (var extra in image.Definition.Extras)
                {
                    text.Append(CultureInfo.InvariantCulture, $"    {extra.Source}:{extra.Destination}\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The plan as one JSON document, file contents included.</summary>
    public static string Json(RecipePlan plan, SiteRoot root, XcatDatabase? database)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(root);
        var directory = plan.Evaluation.RecipeDirectory;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("recipe", plan.Evaluation.RecipeFile);
            json.WriteStartArray("scripts");
            foreach (var script in plan.Evaluation.Scripts)
            {
                json.WriteStringValue(script);
            }

            json.WriteEndArray();
            json.WriteStartArray("images");
            foreach (var image in plan.Images)
            {
                json.WriteStartObject();
                json.WriteString("name", image.Name);
                json.WriteString("source", image.Definition.At.Describe(directory));
                json.WriteString("rows", Change(database, image));
                Columns(json, "osimage", image.OsImage);
                Columns(json, "linuximage", image.LinuxImage);
                json.WriteStartArray("files");
                foreach (var file in image.Files)
                {
                    json.WriteStartObject();
                    json.WriteString("path", file.LogicalPath);
                    json.WriteString("purpose", file.Purpose);
                    json.WriteString("mode", Mode(file.Mode));
                    json.WriteString("change", Change(root, file));
                    json.WriteString("content", file.Content);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("extras");
                foreach (var extra in image.Definition.Extras)
                {
                    json.WriteStartObject();
                    json.WriteString("source", extra.Source);
                    json.WriteString("destination", extra.Destination);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            Messages(json, "warnings", plan.Warnings, directory);
            Messages(json, "problems", plan.Problems, directory);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Columns(StringBuilder text, string table, IReadOnlyList<KeyValuePair<string, string?>> columns)
    {
        text.Append("  ").Append(table).Append(":\n");
        foreach (var (column, value) in columns.Where(c => c.Value is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"    {column}={value}\n");
        }
    }

    private static void Columns(Utf8JsonWriter json, string table, IReadOnlyList<KeyValuePair<string, string?>> columns)
    {
        json.WriteStartObject(table);
        foreach (var (column, value) in columns)
        {
            if (value is null)
            {
                json.WriteNull(column);
            }
            else
            {
                json.WriteString(column, value);
            }
        }

        json.WriteEndObject();
    }

    private static void Messages(Utf8JsonWriter json, string name, IReadOnlyList<RecipeProblem> messages, string directory)
    {
        json.WriteStartArray(name);
        foreach (var message in messages)
        {
            json.WriteStringValue(message.Describe(directory));
        }

        json.WriteEndArray();
    }

    private static string Change(SiteRoot root, PlannedFile file) => RecipeApplier.Compare(root, file).ToString().ToLowerInvariant();

    private static string Change(XcatDatabase? database, PlannedImage image) =>
        (database is null ? FileChange.New : RecipeApplier.Compare(database, image)).ToString().ToLowerInvariant();

    private static string Mode(UnixFileMode mode) => "0" + Convert.ToString((int)mode, 8);
}
