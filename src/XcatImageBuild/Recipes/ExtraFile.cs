namespace XcatImageBuild.Recipes;

/// <summary>A file or directory imgexport carries in the bundle's <c>extra/</c> (its <c>-e src:dest</c>; xcat-spec §1.4).</summary>
/// <param name="Source">The logical path on the management node.</param>
/// <param name="Destination">Where imgimport places it.</param>
public sealed record ExtraFile(string Source, string Destination);
