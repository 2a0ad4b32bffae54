namespace XcatImageBuild.Bundles.Manifest;

/// <summary>One line of a <see cref="ChecksumList"/>: a file's path relative to the image directory and its SHA-256.</summary>
/// <param name="Path">Relative, <c>/</c>-separated, never absolute and without <c>.</c> or <c>..</c> segments.</param>
/// <param name="Sha256">64 lowercase hexadecimal digits.</param>
public sealed record ChecksumEntry(string Path, string Sha256);
