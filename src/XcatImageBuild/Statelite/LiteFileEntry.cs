namespace XcatImageBuild.Statelite;

/// <summary>
/// One litefile entry as liteimg applies it: its option (after xCAT's <c>tmpfs,rw</c> → <c>link</c>) and its path,
/// a directory when it ends with <c>/</c>.
/// </summary>
/// <param name="Options">The option: tmpfs, persistent, localdisk, rw, ro, con, link, link,ro, link,persistent or link,con.</param>
/// <param name="File">The absolute path as the litefile table holds it (<c>/etc/hosts</c>, <c>/var/tmp/</c>).</param>
public sealed record LiteFileEntry(string Options, string File)
{
    /// <summary>Whether the entry is linked through <c>.statelite/tmpfs</c> (the link-based options) rather than copied.</summary>
    public bool IsLink => Options.Contains("link", StringComparison.Ordinal);

    /// <summary>Whether the entry names a directory (its path ends with <c>/</c>).</summary>
    public bool IsDirectory => File.EndsWith('/');

    /// <summary>The path without its final <c>/</c>.</summary>
    public string Path => File.Length > 1 ? File.TrimEnd('/') : File;

    /// <summary>The directory the entry's path lies in (<c>/</c> for a top-level name).</summary>
    public string Directory
    {
        get
        {
            var at = Path.LastIndexOf('/');
            return at <= 0 ? "/" : Path[..at];
        }
    }
}
