using XcatImageBuild.Tables;

namespace XcatImageBuild.Site.Transactions;

/// <summary>One table row an import writes: xCAT's setAttribs of <paramref name="Values"/> on the row with <paramref name="Key"/>.</summary>
public sealed record JournalRow(string Table, IReadOnlyList<string> Key, IReadOnlyDictionary<string, string> Values)
{
    /// <summary>Writes the row in the session's transaction.</summary>
    public void Write(TableSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        session.Set(XcatSchema.Get(Table), Key, Values.ToDictionary(v => v.Key, v => (string?)v.Value, StringComparer.Ordinal));
    }

    /// <summary>Whether the table already holds these values (so the import's transaction committed, or had nothing to change).</summary>
    public bool IsIn(TableSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var row = session.Find(XcatSchema.Get(Table), [.. Key]);
        return row is not null && Values.All(v => row[v.Key] == v.Value);
    }
}
