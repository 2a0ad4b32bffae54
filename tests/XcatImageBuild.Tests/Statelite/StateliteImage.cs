using System.Text;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Statelite;

/// <summary>A statelite osimage in a <see cref="TempSite"/> with a small root tree, and the litefile rows to lite it with.</summary>
internal sealed class StateliteImage
{
    public const string Name = "rhels9.4-x86_64-statelite-compute";

    public StateliteImage(TempSite site, string provmethod = "statelite", string? rootfstype = null)
    {
        Site = site;
        var attributes = new List<string>
        {
            "mkdef", "-t", "osimage", "-o", Name, "imagetype=linux", "osvers=rhels9.4", "osarch=x86_64", "profile=compute",
            $"provmethod={provmethod}", "osname=Linux", $"rootimgdir={Directory}",
        };
        if (rootfstype is not null)
        {
            attributes.Add($"rootfstype={rootfstype}");
        }

        var result = site.Run([.. attributes]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    public TempSite Site { get; }

    /// <summary>The logical root image directory.</summary>
    public string Directory { get; } = "/install/netboot/rhels9.4/x86_64/compute";

    /// <summary>The root on disk.</summary>
    public string RootImg => Site.Map(Directory + "/rootimg");

    /// <summary>A root with files and directories for every kind of entry: config files, a home, a cache, Debian's mtab link.</summary>
    public StateliteImage WithTree()
    {
        Write("etc/ntp.conf", "server 10.0.0.1\n");
        Write("etc/hosts", "127.0.0.1 localhost\n");
        Write("etc/fstab", "compute_x86_64 / tmpfs rw 0 1\nproc /proc proc defaults 0 0\n");
        Write("root/.bashrc", "alias ll='ls -l'\n");
        Write("root/notes/todo", "boot\n");
        Write("var/cache/app/index", "cached\n");
        Write("var/lib/app/state", "1\n");
        Write("opt/app/app.conf", "mode=1\n");
        System.IO.Directory.CreateDirectory(Path.Combine(RootImg, "proc"));
        File.CreateSymbolicLink(Path.Combine(RootImg, "etc/mtab"), "../proc/self/mounts");
        return this;
    }

    public void Write(string relative, string text)
    {
        var path = Path.Combine(RootImg, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Sets the litefile rows of the image (or of <paramref name="owner"/>): (file, options) pairs.</summary>
    public void LiteFiles(string owner, params (string File, string Options)[] entries) =>
        Site.SetRows(s =>
        {
            foreach (var (file, options) in entries)
            {
                s.Set(XcatSchema.LiteFile, [owner, file], new Dictionary<string, string?> { ["options"] = options });
            }
        });

    public void LiteFiles(params (string File, string Options)[] entries) => LiteFiles(Name, entries);

    public CliResult Lite(params string[] args) => Site.Run(["liteimg", .. args, Name]);

    /// <summary>
    /// Every entry under the root as a user sees it with <c>find -printf</c>: kind, mode, path, and a link's target or a
    /// file's text; <c>/xcatpost</c> is left out.
    /// </summary>
    public string Tree()
    {
        var text = new StringBuilder();
        Walk(RootImg, text);
        return text.ToString();
    }

    // Links are listed, never followed, so a link into the host or back up the tree is one line.
    private void Walk(string directory, StringBuilder text)
    {
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
        {
            var relative = "/" + Path.GetRelativePath(RootImg, path);
            if (relative == "/xcatpost")
            {
                continue;
            }

            var info = new FileInfo(path);
            if (info.LinkTarget is { } target)
            {
                text.Append($"l {relative} -> {target}\n");
            }
            else if (System.IO.Directory.Exists(path))
            {
                text.Append($"d {Mode(path)} {relative}/\n");
                Walk(path, text);
            }
            else
            {
                text.Append($"f {Mode(path)} {relative} {File.ReadAllText(path).Replace("\n", "\\n", StringComparison.Ordinal)}\n");
            }
        }
    }

    private static string Mode(string path) => Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
}
