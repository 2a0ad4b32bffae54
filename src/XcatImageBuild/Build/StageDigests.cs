namespace XcatImageBuild.Build;

/// <summary>
/// What a stage read or wrote, each by the name a user knows it by (<c>site.timezone</c>, <c>synclist source
/// /install/files/chrony.conf</c>) with its digest; a missing file has the digest <c>missing</c>. Kept in the order
/// they were added, so reasons list them as the stage reads them.
/// </summary>
public sealed class StageDigests
{
    /// <summary>The digest of something that is not there.</summary>
    public const string Missing = "missing";

    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    /// <summary>The digests by name, in the order added.</summary>
    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>Adds a value digested as text (a column, a site key, a flag); null counts as unset.</summary>
    public void AddValue(string name, string? value) => _values[name] = value is null ? "unset" : BuildDigest.OfText(value);

    /// <summary>Adds an already computed digest, or <see cref="Missing"/> when null.</summary>
    public void AddDigest(string name, string? digest) => _values[name] = digest ?? Missing;

    /// <summary>The names whose digests differ from <paramref name="earlier"/>'s, each as "name changed/added/removed".</summary>
    public IReadOnlyList<string> ChangesSince(IReadOnlyDictionary<string, string> earlier, string changed = "changed")
    {
        ArgumentNullException.ThrowIfNull(earlier);
        var reasons = new List<string>();
        foreach (var (name, digest) in _values)
        {
            if (!earlier.TryGetValue(name, out var before))
            {
                reasons.Add(digest == Missing ? $"{name} is missing" : $"{name} is new");
            }
            else if (before != digest)
            {
                reasons.Add(digest == Missing ? $"{name} is missing" : $"{name} {changed}");
            }
        }

        reasons.AddRange(earlier.Keys.Where(k => !_values.ContainsKey(k)).Select(k => $"{k} is no longer read"));
        return reasons;
    }
}
