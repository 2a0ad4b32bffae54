using XcatImageBuild.Cli;
using XcatImageBuild.Site;

namespace XcatImageBuild.Testing;

/// <summary>A new site in its own temporary directory, removed when disposed.</summary>
public sealed class TempSite : IDisposable
{
    public TempSite()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("xcatimg-test-").FullName;
        Site = XcatSite.OpenOrCreate(Directory);
    }

    /// <summary>The site root on disk.</summary>
    public string Directory { get; }

    /// <summary>A scratch directory outside the site (for bundles and other inputs), created on first use and removed with the site.</summary>
    public string Scratch
    {
        get
        {
            System.IO.Directory.CreateDirectory(Directory + "-scratch");
            return Directory + "-scratch";
        }
    }

    public XcatSite Site { get; }

    /// <summary>Runs xcatimg in-process against this site.</summary>
    public CliResult Run(params string[] args) => Cli.Run(["--site", Directory, .. args]);

    /// <summary>Runs xcatimg in-process against this site with its own environment and working directory.</summary>
    public CliResult Run(CliEnvironment environment, params string[] args) => Cli.Run(environment, ["--site", Directory, .. args]);

    /// <summary>Runs xcatimg in-process against this site with <paramref name="input"/> as its standard input.</summary>
    public CliResult RunWithInput(string input, params string[] args) => Cli.RunWithInput(null, input, ["--site", Directory, .. args]);

    /// <summary>The on-disk path of a logical path in this site.</summary>
    public string Map(string logicalPath) => Site.Map(logicalPath);

    /// <summary>Writes a file at a logical path, creating its parents.</summary>
    public string WriteFile(string logicalPath, string content)
    {
        var path = Map(logicalPath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
            if (System.IO.Directory.Exists(Directory + "-scratch"))
            {
                System.IO.Directory.Delete(Directory + "-scratch", recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
