namespace XcatImageBuild.Statelite;

/// <summary>What liteimg did.</summary>
/// <param name="RootImage">The logical root image (<c>.../rootimg</c>).</param>
/// <param name="Entries">The litefile entries applied, as saved in <c>.statelite/litefile.save</c>.</param>
/// <param name="Ramdisk">The logical path of <c>rootimg-statelite.gz</c> when the image's rootfstype is ramdisk, else null.</param>
public sealed record LiteimgResult(string RootImage, IReadOnlyList<LiteFileEntry> Entries, string? Ramdisk);
