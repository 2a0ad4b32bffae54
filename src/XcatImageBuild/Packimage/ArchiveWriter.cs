using System.IO.Pipelines;
using XcatImageBuild.Formats;
using XcatImageBuild.Formats.Cpio;
using XcatImageBuild.Formats.Gzip;
using XcatImageBuild.Formats.Tar;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;

namespace XcatImageBuild.Packimage;

/// <summary>
/// Streams the selected tree into a compressed archive file: cpio or tar members straight into the parallel gzip
/// writer, or piped through xz/zstd with threads, or staged and handed to mksquashfs. Nothing is held in memory beyond
/// a few compression blocks, whatever the image size.
/// </summary>
internal sealed class ArchiveWriter
{
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;

    public ArchiveWriter(IProcessRunner runner, IProgressSink progress)
    {
        _runner = runner;
        _progress = progress;
    }

    /// <summary>Writes the archive to <paramref name="target"/> (created or truncated).</summary>
    /// <param name="format">Method, compressor and level.</param>
    /// <param name="root">The rootimg directory the entries are relative to.</param>
    /// <param name="entries">The members, in order.</param>
    /// <param name="target">The file to write.</param>
    /// <param name="staging">A scratch directory (squashfs only); it is removed afterwards.</param>
    /// <param name="sourceDateEpoch">Passed to mksquashfs so its timestamps are reproducible.</param>
    public void Write(ArchiveFormat format, string root, IReadOnlyList<ArchiveEntry> entries, string target, string staging, long? sourceDateEpoch)
    {
        if (format.Method == "squashfs")
        {
            WriteSquashfs(root, entries, target, staging, sourceDateEpoch);
            return;
        }

        // Progress counts the archive's bytes before compression, of about the files' sizes (headers come on top).
        var meter = new ProgressMeter(_progress, "packimage", "archive", entries.Sum(e => e.Status.Kind == FileKind.RegularFile ? e.Status.Size : 0), ProgressUnit.Bytes);
        Action<Stream> members = format.Method == "tar"
            ? output => TarArchive.Write(new ProgressStream(output, meter), root, entries)
            : output => CpioArchive.Write(new ProgressStream(output, meter), root, entries);
        using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        if (format.IsGzip)
        {
            using (var gzip = new ParallelGzipStream(file, format.Level, leaveOpen: true))
            {
                members(gzip);
            }

            file.Flush(flushToDisk: true);
            meter.Complete();
            return;
        }

        var arguments = format.Compressor == "xz"
            ? new[] { "-T0", $"-{format.Level}", "-c", "-q" }
            : ["-T0", $"-{format.Level}", "-c", "-q"];
        Pipe(new ToolCommand(format.Compressor, arguments), members, file);
        file.Flush(flushToDisk: true);
        meter.Complete();
    }

    // The members are written into a pipe on this thread while the tool reads it on another; when the tool stops early
    // the pipe is closed so the writer cannot block, and the tool's error is the one reported.
    private void Pipe(ToolCommand command, Action<Stream> members, Stream output)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 8 << 20, resumeWriterThreshold: 4 << 20));
        var tool = Task.Run(() =>
        {
            try
            {
                using var input = pipe.Reader.AsStream();
                _runner.RunStreaming(command, input, output);
            }
            finally
            {
                pipe.Reader.Complete();
            }
        });
        try
        {
            using var input = pipe.Writer.AsStream();
            members(input);
        }
        catch (Exception e)
        {
            // The tool reads this failure instead of end-of-input and stops; it is waited for before the output is
            // closed, and the failure that caused it all is the one reported.
            pipe.Writer.Complete(e);
            ((IAsyncResult)tool).AsyncWaitHandle.WaitOne();
            throw;
        }

        tool.GetAwaiter().GetResult();
    }

    // mksquashfs reads a directory: the selection is extracted (owners, modes, devices, xattrs kept) with tar into the
    // staging directory, as xCAT copies its list with cpio -pdm.
    private void WriteSquashfs(string root, IReadOnlyList<ArchiveEntry> entries, string target, string staging, long? sourceDateEpoch)
    {
        Directory.CreateDirectory(staging);
        try
        {
            var extract = new ToolCommand("tar", ["-x", "-p", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-f", "-", "-C", staging]);
            Pipe(extract, output => TarArchive.Write(output, root, entries), Stream.Null);
            var arguments = new List<string> { staging, target, "-noappend", "-no-progress", "-quiet" };
            var environment = new Dictionary<string, string?>();
            if (sourceDateEpoch is { } epoch)
            {
                environment["SOURCE_DATE_EPOCH"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            _runner.Run(new ToolCommand("mksquashfs", arguments) { Environment = environment });
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
