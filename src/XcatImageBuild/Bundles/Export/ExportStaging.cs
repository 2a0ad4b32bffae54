using System.Globalization;
using XcatImageBuild.Progress;
using XcatImageBuild.Site;

namespace XcatImageBuild.Bundles.Export;

/// <summary>
/// imgexport's temporary directory <c>imgexport.&lt;pid&gt;.XXXXXX</c> under site.tmpdir (or the working directory when
/// unset), where the files the export generates (statelite's rootimgtree.gz and litefile.csv) are made. Removed on
/// dispose, whatever happened.
/// </summary>
internal sealed class ExportStaging : IDisposable
{
    private ExportStaging(string directory)
    {
        Directory = directory;
    }

    /// <summary>The directory on disk.</summary>
    public string Directory { get; }

    public static ExportStaging Create(XcatSite site, string workingDirectory, IProgressSink? verbose)
    {
        var tmpdir = site.Setting("tmpdir");
        var parent = tmpdir is null ? workingDirectory : site.Map(tmpdir);
        try
        {
            System.IO.Directory.CreateDirectory(parent);
            // mkdtemp's XXXXXX: six random characters, retried until the name is new.
            string directory;
            do
            {
                var suffix = Path.GetRandomFileName().Replace(".", string.Empty, StringComparison.Ordinal)[..6];
                directory = Path.Combine(Path.GetFullPath(parent), string.Create(CultureInfo.InvariantCulture, $"imgexport.{Environment.ProcessId}.{suffix}"));
            }
            while (System.IO.Directory.Exists(directory));

            System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            verbose?.Info($"Creating {directory}...");
            return new ExportStaging(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot create a temporary directory under {parent}: {e.Message}", 1, null, e);
        }
    }

    /// <summary>A path inside the directory.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
