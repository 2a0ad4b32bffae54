using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Testing;

/// <summary>
/// Everything a user could see of a site's tables: the bytes of every table file (none on PostgreSQL) and every
/// table's tabdump. Two snapshots are equal when nothing in the tables changed.
/// </summary>
public sealed record SiteSnapshot(byte[] DatabaseBytes, string TableDumps)
{
    /// <summary>Reads the table files first, then prints every table through the CLI.</summary>
    public static SiteSnapshot Take(TempSite site)
    {
        ArgumentNullException.ThrowIfNull(site);
        var files = Directory.GetFiles(site.Map(XcatSite.TablesLogicalDirectory), "*.sqlite").Order(StringComparer.Ordinal);
        var bytes = files.SelectMany(f => System.Text.Encoding.UTF8.GetBytes(f).Concat(File.ReadAllBytes(f))).ToArray();
        var dumps = string.Concat(XcatSchema.All.Select(t => site.Run("tabdump", t.Name).Output));
        return new SiteSnapshot(bytes, dumps);
    }

    /// <summary>Fails unless <paramref name="after"/> shows the same tables and the same database bytes.</summary>
    public void AssertUnchanged(SiteSnapshot after)
    {
        ArgumentNullException.ThrowIfNull(after);
        Assert.Equal(TableDumps, after.TableDumps);
        Assert.True(DatabaseBytes.AsSpan().SequenceEqual(after.DatabaseBytes), "A table file changed.");
    }
}
