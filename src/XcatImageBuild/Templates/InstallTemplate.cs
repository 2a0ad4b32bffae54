using Scriban;
using Scriban.Runtime;
using Scriban.Syntax;

namespace XcatImageBuild.Templates;

/// <summary>
/// Install templates for diskful images: the shipped kickstart (RHEL family), autoyast (SLES) and preseed (Debian,
/// Ubuntu) files, rendered with Scriban from a recipe's values. Only <c>{{ ... }}</c> is Scriban; xCAT's own
/// <c>#TABLE:...#</c>, <c>#INCLUDE:...#</c>, <c>#COMMAND:...#</c> and <c>#CRYPT:...#</c> directives are plain text to
/// Scriban and pass through untouched for nodeset.
/// </summary>
public static class InstallTemplate
{
    /// <summary>The text of a shipped template (see the repository's <c>templates/</c>).</summary>
    /// <exception cref="XcatException">No template of that name is shipped.</exception>
    public static string Shipped(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        using var stream = typeof(InstallTemplate).Assembly.GetManifestResourceStream("templates/" + name)
            ?? throw new XcatException($"No install template named {name} is shipped.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Renders a Scriban template with <paramref name="values"/> (names as the template uses them).</summary>
    /// <param name="template">The template text.</param>
    /// <param name="values">The values; nested dictionaries and lists are reachable as <c>{{ a.b }}</c> and <c>{{ for x in list }}</c>.</param>
    /// <param name="name">The template's name for messages.</param>
    /// <exception cref="XcatException">The template is malformed or uses a value that is not given.</exception>
    public static string Render(string template, IReadOnlyDictionary<string, object?> values, string name)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var parsed = Template.Parse(template, name);
        if (parsed.HasErrors)
        {
            throw new XcatException($"The install template {name} cannot be rendered: {string.Join("; ", parsed.Messages)}");
        }

        var globals = ToScriptObject(values);
        var context = new TemplateContext
        {
            // The output is a kickstart or XML file: a misspelt value must fail instead of rendering empty.
            StrictVariables = true,
            EnableRelaxedMemberAccess = false,
            // Names are the template's own (kernelArguments), not Scriban's snake_case renaming of .NET members.
            MemberRenamer = member => member.Name,
            // Templates come from recipes, which are trusted code already, but a runaway loop should still end.
            LoopLimit = 100_000,
        };
        context.PushGlobal(globals);
        try
        {
            return parsed.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            throw new XcatException($"The install template {name} cannot be rendered: {e.Message}", 1, null, e);
        }
    }

    private static ScriptObject ToScriptObject(IEnumerable<KeyValuePair<string, object?>> values)
    {
        var script = new ScriptObject(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            script[key] = value is IEnumerable<KeyValuePair<string, object?>> nested ? ToScriptObject(nested) : value;
        }

        return script;
    }
}
