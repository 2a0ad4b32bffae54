namespace XcatImageBuild.Images;

/// <summary>
/// xCAT's platform directory of an OS version: the directory name under <c>share/xcat/{install,netboot}</c> found by
/// chopping trailing characters off osvers until a known platform remains (<c>rhels8.5.0</c> → <c>rh</c>,
/// <c>sles15.4</c> → <c>sles</c>, <c>debian12</c> → <c>debian</c>); <c>leap15*</c> maps to <c>sles</c>
/// (xcat-spec §2.2, §5).
/// </summary>
public static class Platform
{
    /// <summary>The platform directories xCAT ships under /opt/xcat/share/xcat/{install,netboot}.</summary>
    public static readonly IReadOnlyList<string> Known =
        ["rh", "centos", "rocky", "alma", "ol", "fedora", "SL", "sles", "suse", "ubuntu", "debian", "windows", "esxi", "esx"];

    /// <summary>The platform directory name, or null when no known platform is a prefix of osvers.</summary>
    public static string? Of(string osvers)
    {
        ArgumentNullException.ThrowIfNull(osvers);
        if (osvers.StartsWith("leap15", StringComparison.Ordinal))
        {
            return "sles";
        }

        for (var length = osvers.Length; length > 0; length--)
        {
            var candidate = osvers[..length];
            if (Known.Contains(candidate, StringComparer.Ordinal))
            {
                return candidate;
            }
        }

        return null;
    }
}
