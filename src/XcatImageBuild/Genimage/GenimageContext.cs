using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Genimage;

/// <summary>
/// One genimage run as the steps and the package manager backends see it: the resolved definition, where the image
/// lives on disk, where downloads are cached, and how tools are started.
/// </summary>
public sealed class GenimageContext
{
    public GenimageContext(XcatSite site, GenimageDefinition definition, GenimageOptions options, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(definition);
        Site = site;
        Definition = definition;
        Options = options;
        Runner = runner;
        Progress = progress;
        ImageDirectory = site.Map(definition.RootImageDirectory);
        RootDirectory = Path.Combine(ImageDirectory, "rootimg");
        WorkDirectory = site.Map($"{site.TmpDir.TrimEnd('/')}/genimage.{Environment.ProcessId}");
    }

    public XcatSite Site { get; }

    public GenimageDefinition Definition { get; }

    public GenimageOptions Options { get; }

    public IProcessRunner Runner { get; }

    public IProgressSink Progress { get; }

    /// <summary>The root image directory on disk (kernel, initrds and <c>rootimg/</c> live here).</summary>
    public string ImageDirectory { get; }

    /// <summary>The root tree on disk: <c>&lt;rootimgdir&gt;/rootimg</c>.</summary>
    public string RootDirectory { get; }

    /// <summary>A scratch directory in the site's tmpdir for this run (repository configurations and the like).</summary>
    public string WorkDirectory { get; }

    /// <summary>
    /// The download cache of one package manager for this OS version and architecture, kept between runs so a second
    /// genimage downloads nothing it already has: <c>&lt;site&gt;/var/cache/xcatimg/&lt;manager&gt;/&lt;key&gt;</c>.
    /// </summary>
    public string CacheDirectory(string manager, string key)
    {
        var path = Site.Map($"/var/cache/xcatimg/{manager}/{key}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A command run inside the root with <c>chroot</c>, with the image's environment variables added.</summary>
    public ToolCommand InRoot(string tool, IEnumerable<string> arguments, IEnumerable<string>? environment = null) =>
        new("chroot", [RootDirectory, tool, .. arguments]) { Environment = EnvironmentWith(environment) };

    /// <summary>A host command with the image's environment (osimage.environvar) and the pass's <c>#ENV:</c> settings added.</summary>
    public ToolCommand OnHost(string tool, IEnumerable<string> arguments, IEnumerable<string>? environment = null) =>
        new(tool, [.. arguments]) { Environment = EnvironmentWith(environment) };

    /// <summary>Mounts /proc, /sys, /dev (and <paramref name="binds"/>) into the root until disposed.</summary>
    public RootMounts MountKernelFileSystems(IEnumerable<(string HostDirectory, string PathInRoot)>? binds = null) =>
        RootMounts.Mount(RootDirectory, Runner, binds);

    private Dictionary<string, string?> EnvironmentWith(IEnumerable<string>? settings)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in Definition.Environment)
        {
            environment[name] = value;
        }

        if (Options.SourceDateEpoch is { } epoch)
        {
            // Tools that honour it (mmdebstrap, dpkg, useradd, dracut) then stamp their output with the epoch.
            environment["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var setting in settings ?? [])
        {
            var equals = setting.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                environment[setting[..equals]] = setting[(equals + 1)..];
            }
        }

        return environment;
    }
}
