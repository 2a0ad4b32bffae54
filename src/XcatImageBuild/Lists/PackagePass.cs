namespace XcatImageBuild.Lists;

/// <summary>
/// One install transaction of a pkglist (xcat-spec §3.2): the environment prefix of its install command, what it
/// removes before installing, what it installs grouped by directory, and what it removes afterwards.
/// </summary>
public sealed class PackagePass
{
    internal PackagePass(int number, IReadOnlyList<PackageListEntry> entries)
    {
        Number = number;
        Environment = [.. entries.Where(e => e.Kind == PackageListEntryKind.Environment).Select(e => e.Value)];
        PreRemove = [.. entries.Where(e => e.Kind == PackageListEntryKind.PreRemove).Select(e => e.Value)];
        PostRemove = [.. entries.Where(e => e.Kind == PackageListEntryKind.PostRemove).Select(e => e.Value)];
        var install = entries.Where(e => e.Kind == PackageListEntryKind.Install).ToList();
        Install = [.. install.Select(e => e.Value)];
        ByDirectory = install
            .GroupBy(e => e.Directory, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(e => e.Value)], StringComparer.Ordinal);
    }

    /// <summary>The pass number, from 1; passes run in numeric order.</summary>
    public int Number { get; }

    /// <summary>The <c>K=V</c> settings of the pass's <c>#ENV:K=V#</c> lines, in order.</summary>
    public IReadOnlyList<string> Environment { get; }

    /// <summary>Packages removed before the pass installs (<c>-name</c>).</summary>
    public IReadOnlyList<string> PreRemove { get; }

    /// <summary>Every package and <c>@group</c> the pass installs, in list order, without directories.</summary>
    public IReadOnlyList<string> Install { get; }

    /// <summary>
    /// The packages the pass installs grouped by the directory of <c>dir/pkg</c> (<c>.</c> for plain names), each
    /// group in list order. For other packages the directory names the repository under otherpkgdir.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ByDirectory { get; }

    /// <summary>Packages removed after the pass installs (<c>--name</c>).</summary>
    public IReadOnlyList<string> PostRemove { get; }
}
