using System.Globalization;

namespace XcatImageBuild.Registry;

/// <summary>
/// A bundle pulled into a directory of its own for one use (<c>imgimport REGISTRY/REPO:TAG</c>, <c>imgdiff</c>),
/// removed with everything in it when disposed.
/// </summary>
public sealed class PulledBundle : IDisposable
{
    private readonly string _directory;

    private PulledBundle(string directory, PullResult result)
    {
        _directory = directory;
        Result = result;
    }

    /// <summary>What the pull wrote; <see cref="PullResult.Path"/> is the bundle.</summary>
    public PullResult Result { get; }

    /// <summary>Pulls the artifact into a new directory under <paramref name="parent"/>.</summary>
    /// <exception cref="XcatException">The pull fails; the new directory is removed.</exception>
    public static PulledBundle Fetch(RegistryClient client, ImageReference reference, string parent)
    {
        ArgumentNullException.ThrowIfNull(client);
        Directory.CreateDirectory(parent);
        var directory = Path.Combine(parent, string.Create(CultureInfo.InvariantCulture, $"pull.{Environment.ProcessId}.{Guid.NewGuid():N}"));
        Directory.CreateDirectory(directory);
        try
        {
            return new PulledBundle(directory, new ImagePuller(client).Run(reference, directory, directory));
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
