using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Media;

/// <summary>The test media of <see cref="MediaFixture"/>, built once per test class: one RPM, then each tree and ISO on first use.</summary>
public sealed class MediaImages : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("xcatimg-media-").FullName;
    private readonly Dictionary<string, string> _isos = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private string? _rpm;

    /// <summary>The directory holding the unpacked media of that kind.</summary>
    public string Tree(string kind)
    {
        Iso(kind);
        return Path.Combine(_scratch, kind);
    }

    /// <summary>The ISO image of that kind.</summary>
    public string Iso(string kind)
    {
        lock (_gate)
        {
            if (!_isos.TryGetValue(kind, out var iso))
            {
                _rpm ??= MediaFixture.BuildRpm(_scratch, "base");
                var tree = Path.Combine(_scratch, kind);
                MediaFixture.WriteTree(kind, tree, _rpm);
                iso = MediaFixture.BuildIso(tree, Path.Combine(_scratch, kind + ".iso"));
                _isos[kind] = iso;
            }

            return iso;
        }
    }

    /// <summary>A scratch path for files a test makes (a truncated ISO).</summary>
    public string Scratch(string name) => Path.Combine(_scratch, name);

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
