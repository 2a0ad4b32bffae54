namespace XcatImageBuild.Formats.Tar;

/// <summary>One member of a tar archive as <see cref="StrictTarReader"/> read it, its pax and GNU long-name records applied.</summary>
public sealed class TarMember
{
    internal TarMember(TarHeader header, Stream? dataStream)
    {
        Header = header;
        DataStream = dataStream;
    }

    /// <summary>The fields, as <see cref="PaxTarWriter"/> takes them: name, kind, mode, owner, times, link names.</summary>
    public TarHeader Header { get; }

    /// <summary>The member name as stored (directories may end in <c>/</c>).</summary>
    public string Name => Header.Name;

    /// <summary>Whether this is a hard link of an earlier member (<see cref="TarHeader.HardLinkTo"/>).</summary>
    public bool IsHardLink => Header.HardLinkTo is not null;

    /// <summary>
    /// A regular file's data, exactly <see cref="TarHeader.DataLength"/> bytes; null for other members. Valid until the
    /// next <see cref="StrictTarReader.GetNextMember"/>, which skips what was not read.
    /// </summary>
    public Stream? DataStream { get; }
}
