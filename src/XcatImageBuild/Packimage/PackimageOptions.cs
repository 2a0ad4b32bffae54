namespace XcatImageBuild.Packimage;

/// <summary>What <c>packimage</c> is asked to do: xCAT's flags plus the compression level and the reproducibility clock.</summary>
/// <param name="ImageName">The osimage to pack.</param>
public sealed record PackimageOptions(string ImageName)
{
    /// <summary><c>-m</c>: cpio (default), tar or squashfs; checked by <see cref="ArchiveFormat.Resolve"/>.</summary>
    public string? Method { get; init; }

    /// <summary><c>-c</c>: gzip, pigz, xz or zstd; null picks xCAT's default (pigz-style gzip).</summary>
    public string? Compress { get; init; }

    /// <summary><c>--nosyncfiles</c>: do not apply the osimage's synclists to the image.</summary>
    public bool NoSyncFiles { get; init; }

    /// <summary><c>--level</c>: the compressor's level (see <see cref="ArchiveFormat.LevelsOf"/>); null for its default.</summary>
    public int? Level { get; init; }

    /// <summary><c>--best</c>: the smallest archive, the compressor's highest level; it wins over <see cref="Level"/>.</summary>
    public bool Best { get; init; }

    /// <summary>
    /// SOURCE_DATE_EPOCH: when set, the archive is reproducible — mtimes clamped to it, IMAGEUUID derived from the
    /// content, TIMESTAMP from it. When null, every pack gets a fresh UUID and the current time, as xCAT does.
    /// </summary>
    public long? SourceDateEpoch { get; init; }
}
