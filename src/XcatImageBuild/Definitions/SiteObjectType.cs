using XcatImageBuild.Tables;

namespace XcatImageBuild.Definitions;

/// <summary>
/// The one site object, <c>clustersite</c>: every key of the site table is an attribute of it, and any key may be
/// set (xCAT does not check site attribute names).
/// </summary>
internal sealed class SiteObjectType : ObjectType
{
    /// <summary>The name xCAT gives the site object.</summary>
    public const string ObjectName = "clustersite";

    public override string Name => "site";

    public override bool HasAttribute(string attribute) => attribute.Length > 0;

    public override IReadOnlyList<string> All(TableSession session) => [ObjectName];

    public override bool Exists(TableSession session, string name) => name == ObjectName;

    public override IReadOnlyList<string> Names(TableSession session, string operand, bool creating) =>
        operand == ObjectName
            ? [ObjectName]
            : throw new XcatException($"Could not find an object named '{operand}' of type 'site'.", 1, $"The site object is always named '{ObjectName}'.");

    public override IReadOnlyDictionary<string, string> ReadOwn(TableSession session, string name) =>
        session.ReadAll(XcatSchema.Site)
            .Where(r => !r.IsDisabled && !string.IsNullOrEmpty(r["value"]))
            .ToDictionary(r => r["key"]!, r => r["value"]!, StringComparer.Ordinal);

    public override void Write(TableSession session, string name, IReadOnlyDictionary<string, string> attributes, bool creating)
    {
        foreach (var (key, value) in attributes)
        {
            session.Set(XcatSchema.Site, [key], new Dictionary<string, string?> { ["value"] = value.Length == 0 ? null : value });
        }
    }

    /// <summary>Deletes every site key, as xCAT's rmobjdefs does for the site object before mkdef -f rewrites it.</summary>
    public static void Clear(TableSession session)
    {
        foreach (var row in session.ReadAll(XcatSchema.Site))
        {
            session.Delete(XcatSchema.Site, row["key"]!);
        }
    }

    public override void Rename(TableSession session, string name, string newName) =>
        throw new XcatException($"The site definition '{ObjectName}' cannot be renamed.");

    public override void Remove(TableSession session, string name) =>
        throw new XcatException($"The site definition '{ObjectName}' cannot be removed; change its attributes with chdef -t site.");
}
