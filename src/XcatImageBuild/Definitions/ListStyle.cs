namespace XcatImageBuild.Definitions;

/// <summary>lsdef's output flags.</summary>
/// <param name="AllAttributes"><c>-l</c>: every attribute even when no object was named.</param>
/// <param name="NamesOnly"><c>-s</c>: names only even when objects were named.</param>
/// <param name="Stanza"><c>-z</c>: xCAT's stanza file format.</param>
public sealed record ListStyle(bool AllAttributes = false, bool NamesOnly = false, bool Stanza = false);
