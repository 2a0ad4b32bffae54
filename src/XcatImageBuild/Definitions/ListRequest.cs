namespace XcatImageBuild.Definitions;

/// <summary>What lsdef was asked to list and how (DBobjectdefs.pm defls).</summary>
/// <param name="Types"><c>-t</c>: a comma list of object types; node when null.</param>
/// <param name="Operands">The object names (<c>-o</c> or the operand).</param>
public sealed record ListRequest(string? Types, DefinitionOperands Operands)
{
    /// <summary><c>-a</c>: every object of every type.</summary>
    public bool All { get; init; }

    /// <summary><c>-l</c>: every attribute, also when no object is named.</summary>
    public bool LongForm { get; init; }

    /// <summary><c>-s</c>: names only, also when objects are named.</summary>
    public bool NamesOnly { get; init; }

    /// <summary><c>-z</c>: xCAT's stanza file format.</summary>
    public bool Stanza { get; init; }

    /// <summary><c>-c</c> (with <c>-i</c>): one <c>NAME: attr=value</c> line per attribute.</summary>
    public bool Compress { get; init; }

    /// <summary><c>-i</c>: only these attributes, each shown even when it has no value; null for all.</summary>
    public IReadOnlyList<string>? Attributes { get; init; }

    /// <summary><c>-w</c>: only objects that meet every condition.</summary>
    public IReadOnlyList<SelectionCondition> Where { get; init; } = [];
}

/// <summary>What lsdef prints: the listing on stdout, and an error for each object it could not find.</summary>
public sealed record DefinitionListing(IReadOnlyList<string> Lines, IReadOnlyList<string> Errors);
