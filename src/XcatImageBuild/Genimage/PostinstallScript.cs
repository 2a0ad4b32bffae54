namespace XcatImageBuild.Genimage;

/// <summary>
/// One item of linuximage.postinstall: a script (logical path) and the extra arguments written after it
/// (<c>/install/custom/netboot/debian/compute.postinstall arg1 arg2</c>; xcat-spec §3.3 step 9).
/// </summary>
public sealed record PostinstallScript(string Script, IReadOnlyList<string> Arguments)
{
    /// <summary>Splits a postinstall value: items by comma, each item's words by white space.</summary>
    public static IReadOnlyList<PostinstallScript> ParseAll(string? value) =>
        [.. (value ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => item.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            .Select(words => new PostinstallScript(words[0], words[1..]))];
}
