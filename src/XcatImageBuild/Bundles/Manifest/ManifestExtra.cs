namespace XcatImageBuild.Bundles.Manifest;

/// <summary>
/// One <c>-e src[:dest]</c> extra of a bundle: the logical path it came from and the directory import copies it to.
/// A file travels as <c>extra/&lt;basename&gt;</c>, a directory as <c>extra/&lt;src&gt;/...</c> (xcat-spec §1.4 step 6).
/// </summary>
/// <param name="Src">The exported file or directory (logical absolute path).</param>
/// <param name="Dest">The directory it is restored into.</param>
public sealed record ManifestExtra(string Src, string Dest);
