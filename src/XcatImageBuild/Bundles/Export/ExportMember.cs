namespace XcatImageBuild.Bundles.Export;

/// <summary>One member of a bundle's image directory, planned before anything is written.</summary>
/// <param name="Name">The path inside <c>./&lt;image&gt;/</c>, e.g. <c>kernel</c> or <c>extra/install/postscripts/x</c>.</param>
/// <param name="Source">The file on disk, or null for a directory.</param>
/// <param name="Origin">The logical path it comes from, for messages.</param>
internal sealed record ExportMember(string Name, string? Source, string Origin);
