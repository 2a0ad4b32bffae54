namespace XcatImageBuild.Media;

/// <summary>What one copy of a media did.</summary>
/// <param name="Copied">Files written because they were missing or differed.</param>
/// <param name="Unchanged">Files already present with the same size and modification time, left alone.</param>
/// <param name="BytesCopied">Bytes written.</param>
public sealed record MediaCopyResult(int Copied, int Unchanged, long BytesCopied);
