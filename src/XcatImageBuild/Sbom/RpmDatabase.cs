using XcatImageBuild.Processes;

namespace XcatImageBuild.Sbom;

/// <summary>
/// The packages of a RHEL-family or SLES root from its own RPM database (<c>var/lib/rpm</c>, whichever backend wrote
/// it), listed by the host's <c>rpm -qa --root</c>: the same list as <c>rpm -qa</c> inside the image.
/// </summary>
internal static class RpmDatabase
{
    /// <summary>The database inside a root, where genimage's dnf and zypper put it.</summary>
    public const string DatabasePath = "/var/lib/rpm";

    // One package a line, fields separated by tabs; rpm prints "(none)" for a tag a package lacks.
    private const string QueryFormat = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{VENDOR}\\t%{LICENSE}\\t%{PACKAGER}\\n";
    private const string None = "(none)";

    /// <summary>Reads the root's packages, sorted by name, version and architecture.</summary>
    /// <param name="root">The root tree on disk.</param>
    /// <param name="defaultVendor">The purl namespace when the root has no os-release.</param>
    /// <param name="runner">Runs the host's rpm.</param>
    /// <exception cref="XcatException">The root has no RPM database, or rpm failed or printed something else.</exception>
    public static List<InstalledPackage> Read(string root, string defaultVendor, IProcessRunner runner)
    {
        var database = Path.Combine(root, DatabasePath.TrimStart('/'));
        if (!Directory.Exists(database))
        {
            throw new XcatException($"The image has no RPM database: {database} does not exist.");
        }

        var osRelease = OsRelease.Read(root);
        var vendor = osRelease.Id ?? defaultVendor;
        var output = runner.Run(new ToolCommand("rpm", ["-qa", "--root", root, "--dbpath", DatabasePath, "--queryformat", QueryFormat])).StandardOutput;
        var packages = new List<InstalledPackage>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split('\t');
            if (fields.Length != 8)
            {
                throw new XcatException($"rpm -qa --root {root} printed a line that is not one package: {line}");
            }

            var (name, epoch, version, rpmRelease, arch) = (fields[0], Value(fields[1]), fields[2], fields[3], Value(fields[4]) ?? "noarch");
            var full = epoch is null ? $"{version}-{rpmRelease}" : $"{epoch}:{version}-{rpmRelease}";
            var supplier = Value(fields[5]) ?? Value(fields[7]);
            packages.Add(new InstalledPackage(
                name,
                full,
                arch,
                supplier is null ? null : $"Organization: {supplier}",
                SpdxLicense.FromDeclared(Value(fields[6])),
                PackageUrl.Create("rpm", vendor, name, $"{version}-{rpmRelease}", ("arch", arch), ("epoch", epoch), ("distro", osRelease.Distro))));
        }

        return [.. packages.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Version, StringComparer.Ordinal).ThenBy(p => p.Architecture, StringComparer.Ordinal)];
    }

    /// <summary>The package that owns a file of the root (its path inside the root), or null.</summary>
    public static string? Owner(string root, string pathInRoot, IProcessRunner runner)
    {
        var result = runner.RunUnchecked(new ToolCommand("rpm", ["-qf", "--root", root, "--dbpath", DatabasePath, "--queryformat", "%{NAME}\\n", pathInRoot]));
        var name = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        return result.ExitCode == 0 && name is not null ? name : null;
    }

    private static string? Value(string field) => field.Length == 0 || field == None ? null : field;
}
