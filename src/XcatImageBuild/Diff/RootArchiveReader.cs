using System.Globalization;
using System.IO.Pipes;
using System.Security.Cryptography;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Diff;

/// <summary>
/// Lists the files of a packed root image — <c>rootimg.cpio.*</c>, <c>rootimg.tar.*</c> or <c>rootimg.sfs</c> — from
/// the archive's bytes as they stream past, hashing every regular file, without root and without unpacking anything
/// to disk. gzip is inflated in-process; xz and zstd through their tools; a squashfs image is turned into a tar
/// stream by <c>sqfs2tar</c> (squashfs-tools-ng), which reads the image file as any user.
/// </summary>
public static class RootArchiveReader
{
    /// <summary>Whether <paramref name="fileName"/> names a packed root image.</summary>
    public static bool IsRootArchive(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return fileName == "rootimg.sfs" || (fileName.StartsWith("rootimg.", StringComparison.Ordinal) && Method(fileName) is not null && Compressor(fileName) is not null);
    }

    /// <summary>Reads the archive into <paramref name="files"/>.</summary>
    /// <param name="fileName">The archive's name (it says the format).</param>
    /// <param name="archive">Its bytes.</param>
    /// <param name="tools">Runs xz, zstd and sqfs2tar.</param>
    /// <param name="files">Receives every file by absolute path.</param>
    /// <exception cref="InvalidDataException">The archive is malformed.</exception>
    /// <exception cref="XcatException">A tool is missing or fails.</exception>
    public static void Read(string fileName, Stream archive, IProcessRunner tools, Dictionary<string, RootFile> files) =>
        Read(fileName, archive, tools, files, null);

    /// <summary>
    /// Reads the archive into <paramref name="files"/> as <see cref="Read(string, Stream, IProcessRunner, Dictionary{string, RootFile})"/>
    /// does, and keeps the contents of the regular files <paramref name="keep"/> names (up to
    /// <see cref="RootFileContents.MaxKept"/> bytes each) — what a reproducibility check looks inside.
    /// </summary>
    public static void Read(string fileName, Stream archive, IProcessRunner tools, Dictionary<string, RootFile> files, RootFileContents? keep)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(files);
        if (fileName == "rootimg.sfs")
        {
            ReadSquashfs(archive, tools, files, keep);
            return;
        }

        var tar = Method(fileName) == "tar";
        switch (Compressor(fileName))
        {
            case "gz":
                using (var gzip = new VerifyingGzipStream(archive, leaveOpen: true))
                {
                    ReadArchive(tar, gzip, files, keep);
                }

                break;
            case "xz":
                Through(tools, new ToolCommand("xz", ["-dc"]), archive, stream => ReadArchive(tar, stream, files, keep));
                break;
            default:
                Through(tools, new ToolCommand("zstd", ["-dcq"]), archive, stream => ReadArchive(tar, stream, files, keep));
                break;
        }
    }

    private static string? Method(string fileName) => fileName.Split('.') is [_, var method, _] && method is "cpio" or "tar" ? method : null;

    private static string? Compressor(string fileName) => fileName.Split('.') is [_, _, var suffix] && suffix is "gz" or "xz" or "zst" ? suffix : null;

    private static void ReadArchive(bool tar, Stream stream, Dictionary<string, RootFile> files, RootFileContents? keep)
    {
        if (tar)
        {
            ReadTar(stream, files, keep);
        }
        else
        {
            ReadCpio(stream, files, keep);
        }
    }

    private static void ReadCpio(Stream stream, Dictionary<string, RootFile> files, RootFileContents? keep)
    {
        using var reader = new CpioReader(stream, leaveOpen: true);
        // newc gives a hard-linked file's data with the last of its links; the others take its digest at the end.
        var byInode = new Dictionary<long, (string Digest, long Size, string Path)>();
        var pending = new List<(string Path, long Inode)>();
        while (reader.GetNextEntry() is { } entry)
        {
            var path = Normalize(entry.Name);
            if (path is null)
            {
                continue;
            }

            var header = entry.Header;
            string? digest = null;
            if (entry.Kind == FileKind.RegularFile)
            {
                digest = Hash(path, entry.DataStream, keep);
                if (header.Links > 1)
                {
                    if (header.DataLength > 0)
                    {
                        byInode[header.Inode] = (digest, header.DataLength, path);
                    }
                    else
                    {
                        pending.Add((path, header.Inode));
                    }
                }
            }
            else if (entry.Kind is FileKind.CharacterDevice or FileKind.BlockDevice)
            {
                digest = string.Create(CultureInfo.InvariantCulture, $"{entry.SpecialDevice.Major}:{entry.SpecialDevice.Minor}");
            }

            files[path] = new RootFile(
                entry.Kind, entry.Permissions, header.Uid, header.Gid, entry.Kind == FileKind.RegularFile ? header.DataLength : 0, entry.LinkTarget, digest, header.ModificationTime);
        }

        foreach (var (path, inode) in pending)
        {
            if (byInode.TryGetValue(inode, out var data))
            {
                files[path] = files[path] with { Digest = data.Digest, Size = data.Size };
                keep?.Alias(path, data.Path);
            }
        }
    }

    private static void ReadTar(Stream stream, Dictionary<string, RootFile> files, RootFileContents? keep)
    {
        using var reader = new StrictTarReader(stream, leaveOpen: true);
        while (reader.GetNextMember() is { } member)
        {
            var path = Normalize(member.Name);
            if (path is null)
            {
                continue;
            }

            var header = member.Header;
            if (member.IsHardLink)
            {
                var target = Normalize(header.HardLinkTo!);
                if (target is not null && files.TryGetValue(target, out var linked))
                {
                    files[path] = linked with { Mode = header.Mode & 0xFFF, Uid = header.Uid, Gid = header.Gid, ModificationTime = header.ModificationTime };
                    keep?.Alias(path, target);
                }

                continue;
            }

            var digest = header.Kind switch
            {
                FileKind.RegularFile => Hash(path, member.DataStream, keep),
                FileKind.CharacterDevice or FileKind.BlockDevice => string.Create(CultureInfo.InvariantCulture, $"{header.DeviceMajor}:{header.DeviceMinor}"),
                _ => null,
            };
            files[path] = new RootFile(
                header.Kind, header.Mode & 0xFFF, header.Uid, header.Gid, header.Kind == FileKind.RegularFile ? header.DataLength : 0, header.LinkName, digest, header.ModificationTime);
        }
    }

    // sqfs2tar reads the image by path: a stream that is not a file (a bundle member) is copied to a temporary first.
    private static void ReadSquashfs(Stream archive, IProcessRunner tools, Dictionary<string, RootFile> files, RootFileContents? keep)
    {
        string? temporary = null;
        var path = (archive as FileStream)?.Name;
        try
        {
            if (path is null)
            {
                temporary = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"xcatimg-imgdiff-{Environment.ProcessId}-{Guid.NewGuid():N}.sfs"));
                using (var copy = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    archive.CopyTo(copy, 1 << 20);
                }

                path = temporary;
            }

            Through(tools, new ToolCommand("sqfs2tar", ["--root-becomes", ".", path]), null, stream => ReadTar(stream, files, keep));
        }
        finally
        {
            if (temporary is not null)
            {
                File.Delete(temporary);
            }
        }
    }

    // Runs the tool with its output on a pipe that the reader consumes as it is written.
    private static void Through(IProcessRunner tools, ToolCommand command, Stream? input, Action<Stream> read)
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var run = Task.Run(() =>
        {
            try
            {
                tools.RunStreaming(command, input, server);
            }
            finally
            {
                server.Dispose();
            }
        });
        try
        {
            read(client);
            client.CopyTo(Stream.Null);
        }
        finally
        {
            client.Dispose();
            try
            {
                run.GetAwaiter().GetResult();
            }
            catch (IOException)
            {
                // The reader stopped early (it failed, and that failure is the one reported).
            }
        }
    }

    private static string? Normalize(string name)
    {
        var path = name.TrimEnd('/');
        if (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[1..];
        }
        else if (path == ".")
        {
            return null;
        }
        else if (!path.StartsWith('/'))
        {
            path = "/" + path;
        }

        return path.Length <= 1 ? null : path;
    }

    private static string Hash(string path, Stream? data, RootFileContents? keep)
    {
        if (data is null)
        {
            return Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty));
        }

        return keep is not null && keep.Wants(path) ? keep.Keep(path, data) : Convert.ToHexStringLower(SHA256.HashData(data));
    }
}
