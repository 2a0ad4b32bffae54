namespace XcatImageBuild.Genimage;

/// <summary>
/// The kernel of a root image: which version genimage uses and the file that becomes <c>&lt;rootimgdir&gt;/kernel</c>
/// (xcat-spec §3.3 step 6).
/// </summary>
public sealed record ImageKernel(string Version, string File)
{
    private static readonly string[] Candidates = ["boot/vmlinux-{0}", "boot/vmlinuz-{0}", "boot/image-{0}", "lib/modules/{0}/vmlinuz"];

    /// <summary>Finds the kernel file of <see cref="VersionIn"/> (the running kernel's version is xCAT's <c>uname -r</c> fallback).</summary>
    /// <exception cref="XcatException">No kernel file of that version: <c>couldn't find the kernel file matched &lt;v&gt; in &lt;rootimg&gt;/boot</c>.</exception>
    public static ImageKernel Find(string root, string? requestedVersion)
    {
        ArgumentNullException.ThrowIfNull(root);
        var version = VersionIn(root, requestedVersion);
        foreach (var candidate in Candidates)
        {
            var path = Path.Combine(root, string.Format(System.Globalization.CultureInfo.InvariantCulture, candidate, version));
            if (System.IO.File.Exists(path))
            {
                return new ImageKernel(version, path);
            }
        }

        throw new XcatException($"couldn't find the kernel file matched {version} in {root}/boot");
    }

    /// <summary>
    /// The kernel version genimage uses: the requested one, else the last <c>boot/vmlinuz-*</c> in name order, else
    /// the last <c>lib/modules/*</c>, else the running kernel's.
    /// </summary>
    public static string VersionIn(string root, string? requestedVersion) => requestedVersion ?? Newest(root);

    private static string Newest(string root)
    {
        var boot = Path.Combine(root, "boot");
        var fromBoot = Directory.Exists(boot)
            ? Directory.GetFiles(boot, "vmlinuz-*").Select(f => Path.GetFileName(f)["vmlinuz-".Length..]).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        if (fromBoot is not null)
        {
            return fromBoot;
        }

        var modules = Path.Combine(root, "lib/modules");
        var fromModules = Directory.Exists(modules)
            ? Directory.GetDirectories(modules).Select(Path.GetFileName).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
        return fromModules ?? System.IO.File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
    }
}
