using System.Globalization;
using System.Text;
using XcatImageBuild.Site;

namespace XcatImageBuild.Images;

/// <summary>
/// What an osimage's names and directories may hold before they are stored, whoever stores them (imgimport, mkdef,
/// chdef, recipe apply). The name columns become path segments and lines of output later — nodeset's
/// <c>&lt;tftpdir&gt;/xcat/osimage/&lt;name&gt;/</c>, imgexport's <c>&lt;name&gt;.tgz</c>, lock files, lsdef's
/// <c>Object name: &lt;name&gt;</c> — so they hold no <c>/</c>, are not <c>.</c> or <c>..</c>, and hold no control
/// characters (a newline would forge a line of lsdef). The directory columns are where genimage and packimage write, so
/// they lie under the site's installdir or a prefix the user allowed.
/// </summary>
public static class OsImageFields
{
    /// <summary>The osimage columns that name things: <c>imagename</c>, <c>profile</c>, <c>osvers</c>, <c>osarch</c>, <c>provmethod</c>.</summary>
    public static IReadOnlyList<string> NameColumns { get; } = ["imagename", "profile", "osvers", "osarch", "provmethod"];

    /// <summary>The linuximage columns genimage and packimage write under: <c>rootimgdir</c>.</summary>
    public static IReadOnlyList<string> DirectoryColumns { get; } = ["rootimgdir"];

    /// <summary>Why <paramref name="value"/> cannot be stored in a name column (a phrase such as <c>contains '/'</c>), or null when it can.</summary>
    public static string? NameProblem(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Contains('/', StringComparison.Ordinal))
        {
            return "contains '/'";
        }

        if (value is "." or "..")
        {
            return $"is '{value}'";
        }

        return value.Any(char.IsControl) ? $"contains the control character {Escape(value.First(char.IsControl).ToString())}" : null;
    }

    /// <summary>
    /// Why <paramref name="value"/> cannot be stored in a directory column, or null when it can: it must be an absolute
    /// path without <c>..</c> or control characters, under <paramref name="installDir"/> or one of
    /// <paramref name="allowedPrefixes"/>.
    /// </summary>
    public static string? DirectoryProblem(string value, string installDir, IEnumerable<string> allowedPrefixes)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(installDir);
        ArgumentNullException.ThrowIfNull(allowedPrefixes);
        if (!value.StartsWith('/'))
        {
            return "is not an absolute path";
        }

        if (value.Split('/').Contains(".."))
        {
            return "contains '..'";
        }

        if (value.Any(char.IsControl))
        {
            return "contains a control character";
        }

        var installRoot = LogicalPath.Normalize(installDir);
        return LogicalPath.IsUnder(value, installRoot) || allowedPrefixes.Any(prefix => LogicalPath.IsUnder(value, prefix))
            ? null
            : $"lies outside the site's installdir ({installRoot})";
    }

    /// <summary>
    /// The value as it may appear in a message: CR, LF, tab and every other control character spelled as an escape
    /// (<c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\x1b</c>), so a value can neither forge a line nor rewrite one on a terminal.
    /// </summary>
    public static string Escape(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Any(char.IsControl))
        {
            return value;
        }

        var text = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }
}
