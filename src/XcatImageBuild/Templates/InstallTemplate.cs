using HandlebarsDotNet;

namespace XcatImageBuild.Templates;

/// <summary>
/// Install templates for diskful images: the shipped kickstart (RHEL family), autoyast (SLES) and preseed (Debian,
/// Ubuntu) files, rendered with Handlebars from a recipe's values. Only <c>{{...}}</c> is Handlebars; xCAT's own
/// <c>#TABLE:...#</c>, <c>#INCLUDE:...#</c> and <c>#CRYPT:...#</c> directives pass through untouched for nodeset.
/// </summary>
public static class InstallTemplate
{
    private static readonly HandlebarsConfiguration Configuration = new()
    {
        // The output is a kickstart or XML file, not HTML; a misspelt value must fail instead of rendering empty.
        NoEscape = true,
        ThrowOnUnresolvedBindingExpression = true,
    };

    /// <summary>The shipped template for an xCAT platform directory (<c>rh</c>, <c>sles</c>, <c>debian</c>...), or null.</summary>
    public static string? ShippedNameFor(string platform) => platform switch
    {
        "rh" or "centos" or "rocky" or "alma" or "ol" or "fedora" or "SL" => "kickstart.tmpl",
        "sles" or "suse" => "autoyast.tmpl",
        "debian" or "ubuntu" => "preseed.tmpl",
        _ => null,
    };

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

    /// <summary>Renders a Handlebars template with <paramref name="values"/> (names as the template uses them).</summary>
    /// <param name="template">The template text.</param>
    /// <param name="values">The values; nested dictionaries and lists are reachable as <c>{{a.b}}</c> and <c>{{#each}}</c>.</param>
    /// <param name="name">The template's name for messages.</param>
    /// <exception cref="XcatException">The template is malformed or uses a value that is not given.</exception>
    public static string Render(string template, IReadOnlyDictionary<string, object?> values, string name)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        try
        {
            var render = Handlebars.Create(Configuration).Compile(template);
            return render(values);
        }
        catch (Exception e) when (e is HandlebarsException or HandlebarsDotNet.Compiler.HandlebarsUndefinedBindingException)
        {
            throw new XcatException($"The install template {name} cannot be rendered: {e.Message}", 1, null, e);
        }
    }
}
