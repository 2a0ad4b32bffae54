using System.Text.RegularExpressions;
using XcatImageBuild.Images;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// The osimage object: the osimage row plus, for Linux images, the linuximage row of the same name. Attribute names
/// are the column names, except that <c>imagename</c> is the object's name and not an attribute, linuximage's
/// <c>comments</c> is <c>usercomment</c>, and osimage's <c>comments</c> is not exposed (xcat-spec §4.3).
/// </summary>
internal sealed partial class OsImageObjectType : ObjectType
{
    private static readonly string[] Hidden = ["imagename", "comments", "disable"];

    private static readonly IReadOnlyList<ObjectAttribute> Attributes =
    [
        .. XcatSchema.OsImage.Columns.Where(c => !Hidden.Contains(c)).Select(c => new ObjectAttribute(c, XcatSchema.OsImage, c)),
        .. XcatSchema.LinuxImage.Columns.Where(c => !Hidden.Contains(c)).Select(c => new ObjectAttribute(c, XcatSchema.LinuxImage, c)),
        new ObjectAttribute("usercomment", XcatSchema.LinuxImage, "comments"),
    ];

    private static readonly Dictionary<string, ObjectAttribute> ByName = Attributes.ToDictionary(a => a.Name, StringComparer.Ordinal);

    public override string Name => "osimage";

    public override bool HasAttribute(string attribute) => ByName.ContainsKey(attribute);

    public override IReadOnlyList<string> All(TableSession session) =>
        [.. session.ReadAll(XcatSchema.OsImage).Where(r => !r.IsDisabled).Select(r => r["imagename"]!).Order(StringComparer.Ordinal)];

    public override bool Exists(TableSession session, string name) => session.Find(XcatSchema.OsImage, name) is { IsDisabled: false };

    public override IReadOnlyDictionary<string, string> ReadOwn(TableSession session, string name)
    {
        var values = new Dictionary<string, string>(ReadColumns(session, XcatSchema.OsImage, name, Attributes), StringComparer.Ordinal);

        // Schema.pm stores the linuximage attributes "only_if imagetype=linux": other images never show them.
        if (values.TryGetValue("imagetype", out var imagetype) && IsLinux(imagetype))
        {
            foreach (var (attribute, value) in ReadColumns(session, XcatSchema.LinuxImage, name, Attributes))
            {
                values[attribute] = value;
            }
        }

        return values;
    }

    public override IEnumerable<string> Check(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        foreach (var problem in FieldProblems(session, name, attributes))
        {
            yield return problem;
        }

        var linuxAttributes = attributes.Keys.Where(a => ByName[a].Table == XcatSchema.LinuxImage).Order(StringComparer.Ordinal).ToList();
        if (linuxAttributes.Count == 0)
        {
            yield break;
        }

        var imagetype = attributes.TryGetValue("imagetype", out var given)
            ? given
            : creating ? null : session.Find(XcatSchema.OsImage, name)?["imagetype"];
        if (imagetype is null || !IsLinux(imagetype))
        {
            // xCAT drops these silently; saying so keeps a typo in imagetype from losing the user's values.
            yield return $"The attributes {string.Join(", ", linuxAttributes.Select(a => $"'{a}'"))} of osimage '{name}' " +
                $"are linuximage attributes and need imagetype=linux (imagetype is '{imagetype}').";
        }
    }

    // The same rules imgimport applies to a bundle's manifest: these columns feed file names and directories.
    private static IEnumerable<string> FieldProblems(TableSession session, string name, IReadOnlyDictionary<string, string> attributes)
    {
        if (OsImageFields.NameProblem(name) is { } badName)
        {
            yield return $"The osimage name '{OsImageFields.Escape(name)}' {badName}.";
        }

        foreach (var column in OsImageFields.NameColumns)
        {
            if (attributes.TryGetValue(column, out var value) && value.Length > 0 && OsImageFields.NameProblem(value) is { } problem)
            {
                yield return $"The value '{OsImageFields.Escape(value)}' of '{column}' for osimage '{OsImageFields.Escape(name)}' {problem}.";
            }
        }

        var installDir = session.Find(XcatSchema.Site, "installdir") is { IsDisabled: false } row && !string.IsNullOrEmpty(row["value"]) ? row["value"]! : "/install";
        foreach (var column in OsImageFields.DirectoryColumns)
        {
            if (attributes.TryGetValue(column, out var value) && value.Length > 0 && OsImageFields.DirectoryProblem(value, installDir, []) is { } problem)
            {
                yield return $"The value '{OsImageFields.Escape(value)}' of '{column}' for osimage '{OsImageFields.Escape(name)}' {problem}.";
            }
        }
    }

    public override void Write(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        // The osimage row always exists for an osimage object; a linuximage row only once a linuximage attribute is set.
        session.Set(XcatSchema.OsImage, [name], new Dictionary<string, string?>());
        WriteColumns(session, name, attributes.Select(a => (ByName[a.Key], a.Value)));
    }

    public override void Remove(TableSession session, string name)
    {
        session.Delete(XcatSchema.OsImage, name);
        session.Delete(XcatSchema.LinuxImage, name);
    }

    public override string? NameProblem(string name) => name.Length == 0 ? "is empty" : OsImageFields.NameProblem(name);

    /// <summary>The osimage and linuximage rows and the image's litefile rows take the new name.</summary>
    public override void Rename(TableSession session, string name, string newName)
    {
        MoveRow(session, XcatSchema.OsImage, [name], [newName]);
        MoveRow(session, XcatSchema.LinuxImage, [name], [newName]);
        foreach (var row in session.Where(XcatSchema.LiteFile, "image", name))
        {
            MoveRow(session, XcatSchema.LiteFile, [name, row["file"]!], [newName, row["file"]!]);
        }
    }

    private static bool IsLinux(string imagetype) => LinuxWord().IsMatch(imagetype);

    [GeneratedRegex(@"\blinux\b")]
    private static partial Regex LinuxWord();
}
