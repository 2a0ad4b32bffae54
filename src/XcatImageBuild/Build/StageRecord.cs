using System.Globalization;
using System.Text;
using System.Text.Json;
using XcatImageBuild.Site;

namespace XcatImageBuild.Build;

/// <summary>
/// The record of a stage's last successful run on an image, kept in the site at
/// <c>/var/lib/xcatimg/builds/&lt;image&gt;/&lt;stage&gt;.json</c>: the digests of its inputs and outputs, when it
/// finished and how long it took. A failed run leaves no record but a <c>&lt;stage&gt;.failed</c> note, so the next
/// build runs it again and says why.
/// </summary>
public sealed record StageRecord
{
    /// <summary>Where records live in the site.</summary>
    public const string LogicalDirectory = "/var/lib/xcatimg/builds";

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public required string Stage { get; init; }

    public required string Image { get; init; }

    public required DateTimeOffset Finished { get; init; }

    public required double DurationSeconds { get; init; }

    public required IReadOnlyDictionary<string, string> Inputs { get; init; }

    public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    /// <summary>One digest of the outputs and the run's time, which the next stage takes as an input.</summary>
    public string OutputDigest => BuildDigest.Combine(Outputs.Append(new("finished", Finished.ToString("O", CultureInfo.InvariantCulture))));

    /// <summary>The stage's record on the image, or null when it has none (never run, or last run failed).</summary>
    public static StageRecord? Load(SiteRoot root, string image, string stage)
    {
        ArgumentNullException.ThrowIfNull(root);
        var path = PathOf(root, image, stage, ".json");
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StageRecord>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException)
        {
            // A record that cannot be read is as good as none: the stage runs again and writes a new one.
            return null;
        }
    }

    /// <summary>What the stage's last failed run said, or null when its last run did not fail.</summary>
    public static string? LastFailure(SiteRoot root, string image, string stage)
    {
        ArgumentNullException.ThrowIfNull(root);
        var path = PathOf(root, image, stage, ".failed");
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>Forgets the stage's record before it runs, so a run that dies midway leaves none behind.</summary>
    public static void Forget(SiteRoot root, string image, string stage)
    {
        ArgumentNullException.ThrowIfNull(root);
        Delete(PathOf(root, image, stage, ".json"));
    }

    /// <summary>Notes that the stage failed with <paramref name="message"/>.</summary>
    public static void MarkFailed(SiteRoot root, string image, string stage, string message)
    {
        ArgumentNullException.ThrowIfNull(root);
        WriteAtomically(PathOf(root, image, stage, ".failed"), message + "\n");
    }

    /// <summary>Writes the record (under a temporary name, then renamed) and clears a failure note.</summary>
    public void Save(SiteRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        WriteAtomically(PathOf(root, Image, Stage, ".json"), JsonSerializer.Serialize(this, JsonOptions) + "\n");
        Delete(PathOf(root, Image, Stage, ".failed"));
    }

    // File.Delete fails when the directory is missing, which it is before a stage first runs.
    private static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static string PathOf(SiteRoot root, string image, string stage, string extension)
    {
        // Image names are usually file-name safe; any other is spelled in hex so it cannot steer the path.
        var safe = image.Length > 0 && image[0] != '.' && image.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')
            ? image
            : Convert.ToHexStringLower(Encoding.UTF8.GetBytes(image));
        return Path.Combine(root.Map(LogicalDirectory), safe, stage + extension);
    }

    private static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }
}
