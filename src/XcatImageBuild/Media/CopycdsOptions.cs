namespace XcatImageBuild.Media;

/// <summary>copycds' flags (xcat-spec §9).</summary>
public sealed class CopycdsOptions
{
    /// <summary><c>-n</c>: the distribution name to use instead of the one the media states.</summary>
    public string? Name { get; init; }

    /// <summary><c>-a</c>: the architecture, for media that do not state it; contradicting the media is an error.</summary>
    public string? Arch { get; init; }

    /// <summary><c>-p</c>: the logical directory to copy to instead of <c>&lt;installdir&gt;/&lt;distname&gt;/&lt;arch&gt;</c>.</summary>
    public string? Path { get; init; }

    /// <summary><c>-i</c>: identify the media, print what it is, and write nothing.</summary>
    public bool Inspect { get; init; }

    /// <summary><c>-o</c>: create no osimage definitions.</summary>
    public bool NoOsImage { get; init; }

    /// <summary><c>-w</c>: do not copy a media again whose fingerprint the target already holds.</summary>
    public bool NoOverwrite { get; init; }
}
