namespace XcatImageBuild.Formats;

/// <summary>Names a file's compression from its first bytes, so a refusal can say what the file is.</summary>
internal static class CompressionMagic
{
    /// <summary>How many leading bytes <see cref="Name"/> needs.</summary>
    public const int Length = 6;

    /// <summary>"gzip", "xz", "zstd", "bzip2", "lz4", "LZMA" or "zlib"; null when the bytes are none of these.</summary>
    public static string? Name(ReadOnlySpan<byte> start) => start switch
    {
        [0x1F, 0x8B, ..] => "gzip",
        [0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00, ..] => "xz",
        [0x28, 0xB5, 0x2F, 0xFD, ..] => "zstd",
        [(byte)'B', (byte)'Z', (byte)'h', ..] => "bzip2",
        [0x04, 0x22, 0x4D, 0x18, ..] => "lz4",
        [0x5D, 0x00, 0x00, ..] => "LZMA",
        [0x78, 0x01 or 0x5E or 0x9C or 0xDA, ..] => "zlib",
        _ => null,
    };
}
