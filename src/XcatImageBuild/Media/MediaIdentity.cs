using XcatImageBuild.Distributions;

namespace XcatImageBuild.Media;

/// <summary>
/// What a distribution media is, as copycds names it: the distribution name (xCAT's osvers, <c>rhels9.2</c>,
/// <c>sle15.5</c>, <c>ubuntu24.04</c>), the architecture in xCAT's spelling and the disc it is.
/// </summary>
/// <param name="DistName">The distribution name, which is the osvers of the default images.</param>
/// <param name="Arch">The architecture (<c>x86_64</c>, <c>ppc64le</c>, <c>aarch64</c>...).</param>
/// <param name="DiscNo">The disc as the media states it (<c>ALL</c>, <c>1</c>...), printed by <c>-i</c>.</param>
/// <param name="Family">Which plugin's rules apply.</param>
/// <param name="Slot">Where a SUSE disc goes under <c>&lt;distname&gt;/&lt;arch&gt;/</c> (<c>1</c>, <c>2</c>); null for one directory.</param>
public sealed record MediaIdentity(string DistName, string Arch, string DiscNo, DistributionFamily Family, string? Slot = null);
