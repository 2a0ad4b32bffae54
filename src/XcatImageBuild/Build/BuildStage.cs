using System.Reflection;
using XcatImageBuild.Lists;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// One stage of a build as the engine sees it: what it reads (its inputs), what it leaves (its outputs), and how it
/// runs. Each stage names its inputs the way a user knows them, so a plan can say which one changed.
/// </summary>
public abstract class BuildStage
{
    /// <summary>The version of the engine, an input of every stage: a new xcatimg may build differently.</summary>
    internal static readonly string EngineVersion =
        typeof(BuildStage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The verb's name: <c>genimage</c>, <c>packimage</c>, <c>imgexport</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The stage whose output this one reads, or null.</summary>
    public virtual string? Previous => null;

    /// <summary>
    /// The digests of everything the stage reads: the previous stage's output first, then what the stage itself reads
    /// from the image and the site, then the clock and the engine.
    /// </summary>
    public StageDigests Inputs(ImageSnapshot image, BuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        var digests = new StageDigests();
        if (Previous is { } previous)
        {
            digests.AddDigest($"{previous} output", StageRecord.Load(image.Root, image.Name, previous)?.OutputDigest);
        }

        AddInputs(digests, image);
        digests.AddValue("site.installdir", image.InstallDir);
        digests.AddValue("SOURCE_DATE_EPOCH", settings.SourceDateEpoch?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        digests.AddValue("xcatimg version", EngineVersion);
        return digests;
    }

    /// <summary>The digests of what the stage's last run left, as they are now.</summary>
    public abstract StageDigests Outputs(ImageSnapshot image, BuildSettings settings);

    /// <summary>Runs the stage on the image.</summary>
    /// <exception cref="XcatException">The stage failed.</exception>
    public abstract void Run(ImageSnapshot image, BuildSettings settings, XcatSite site, IProcessRunner runner, IProgressSink progress);

    /// <summary>Adds what the stage itself reads from the image and the site.</summary>
    protected abstract void AddInputs(StageDigests digests, ImageSnapshot image);

    /// <summary>Adds table columns as <c>table.column</c>.</summary>
    protected static void AddColumns(StageDigests digests, string table, IReadOnlyDictionary<string, string> row, params string[] columns)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(row);
        foreach (var column in columns)
        {
            digests.AddValue($"{table}.{column}", row.GetValueOrDefault(column));
        }
    }

    /// <summary>Adds the list files a comma-separated column names, their includes expanded, as <c>what path</c>.</summary>
    protected static void AddLists(StageDigests digests, ImageSnapshot image, string what, string? column)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        foreach (var item in Items(column))
        {
            foreach (var (path, digest) in image.ListWithIncludes(item))
            {
                digests.AddDigest($"{what} {path}", digest);
            }
        }
    }

    /// <summary>Adds each synclist of osimage.synclists with every source it copies and every script it runs.</summary>
    protected static void AddSyncLists(StageDigests digests, ImageSnapshot image)
    {
        ArgumentNullException.ThrowIfNull(digests);
        ArgumentNullException.ThrowIfNull(image);
        foreach (var list in Items(image.Os("synclists")))
        {
            digests.AddDigest($"synclist {list}", image.Digest(list));
            if (image.Text(list) is not { } text)
            {
                continue;
            }

            var parsed = SyncList.Parse(text, list);
            foreach (var source in parsed.Files.Concat(parsed.Append).Concat(parsed.Merge).SelectMany(e => e.Sources).Distinct(StringComparer.Ordinal))
            {
                digests.AddDigest($"synclist source {source}", image.Digest(source));
            }

            foreach (var script in parsed.Execute.Concat(parsed.ExecuteAlways).Distinct(StringComparer.Ordinal))
            {
                digests.AddDigest($"synclist script {script}", image.Digest(script));
            }
        }
    }

    /// <summary>The items of a comma-separated column.</summary>
    protected static IReadOnlyList<string> Items(string? column) =>
        column?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
}
