namespace XcatImageBuild.Bundles.Import;

/// <summary>One file, link or directory of a bundle and the logical path import puts it at.</summary>
/// <param name="Image">The image it belongs to.</param>
/// <param name="What">What the manifest calls it (<c>kernel</c>, <c>pkglist</c>, <c>extra</c>...), for messages.</param>
/// <param name="Logical">Its destination, a logical xCAT path.</param>
/// <param name="Member">The bundle member that holds it.</param>
/// <param name="KeepOriginal">Whether a file it replaces is kept as <c>.ORIG</c> (xCAT does so except inside directory extras, which it copies over with <c>cp -a -f</c>).</param>
/// <param name="Unpack">Whether the member is a statelite root tree, unpacked at <paramref name="Logical"/> (a directory) rather than put there.</param>
public sealed record ImportFile(string Image, string What, string Logical, StagingMember Member, bool KeepOriginal, bool Unpack = false);
