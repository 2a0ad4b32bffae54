namespace XcatImageBuild.Recipes;

/// <summary>
/// One postinstall step: inline shell text that goes into the generated <c>.postinstall</c> script, or an existing
/// executable in the site called with arguments (xCAT's <c>path arg1 arg2</c> form; xcat-spec §3.3 step 9).
/// </summary>
/// <param name="Script">The shell text, or null for a file step.</param>
/// <param name="File">The logical path of an executable in the site, or null for an inline step.</param>
/// <param name="Arguments">Arguments xCAT passes after its own four.</param>
/// <param name="At">Where the recipe made the call.</param>
public sealed record PostinstallStep(string? Script, string? File, IReadOnlyList<string> Arguments, SourceLocation At);
