using System.Text;
using XcatImageBuild.Packimage;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Statelite;

/// <summary>
/// The <c>.statelite</c> layout liteimg makes in a root image (statelite.pm liteMe, liteItem and recoverFiles), two
/// levels of indirection for each link-based entry so a file can change in the image and on the running node:
/// <code>
/// /etc/ntp.conf                          -> ../.statelite/tmpfs/etc/ntp.conf
/// /.statelite/tmpfs/etc/ntp.conf         -> ../../../.default/etc/ntp.conf
/// /.default/etc/ntp.conf                    the file as the image had it
/// </code>
/// Other entries (tmpfs, persistent, ro, con, rw, localdisk) stay where they are, with a copy in <c>/.default</c> that
/// the node falls back to. Every path is resolved inside the root as a chroot would (a link to <c>/etc</c> means the
/// image's <c>/etc</c>), so nothing outside the root is read or written.
/// </summary>
internal sealed class StateliteTree
{
    private const string StateDirectory = ".statelite";
    private const string Default = "/.default";
    private const string Tmpfs = "/.statelite/tmpfs";

    private readonly RootImagePath _root;
    private readonly string _logicalRoot;
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;
    private readonly bool _verbose;

    /// <param name="root">The root image on disk.</param>
    /// <param name="logicalRoot">The root as xCAT names it in messages (<c>/install/netboot/.../rootimg</c>).</param>
    /// <param name="runner">Runs <c>cp -a</c>.</param>
    /// <param name="progress">Receives xCAT's lines, and with <paramref name="verbose"/> each change.</param>
    /// <param name="verbose">liteimg -V.</param>
    public StateliteTree(RootImagePath root, string logicalRoot, IProcessRunner runner, IProgressSink progress, bool verbose)
    {
        _root = root;
        _logicalRoot = logicalRoot;
        _runner = runner;
        _progress = progress;
        _verbose = verbose;
    }

    /// <summary>The on-disk path of <c>.statelite/litefile.save</c>.</summary>
    public string SavedListPath => Path.Combine(_root.Root, StateDirectory, "litefile.save");

    /// <summary>
    /// Undoes what an earlier liteimg did for each saved entry that the new list drops or gives another option
    /// (deepest first): a link-based entry gets its file back from <c>/.default</c> and loses its tmpfs link.
    /// An entry that was copied keeps its file in the image (xCAT deletes it, so a dropped tmpfs entry lost its file).
    /// </summary>
    public void Recover(LiteFileList saved, LiteFileList current)
    {
        foreach (var old in saved.Entries.Reverse())
        {
            if (current.Find(old.File) is { } now && now.Options == old.Options)
            {
                continue;
            }

            if (!old.IsLink || saved.ParentOf(old) is { IsLink: true })
            {
                continue;
            }

            Say($"recovering {old.File} ({old.Options})");
            var target = _root.Map(old.Path, followLast: false);
            if (LinkTarget(target) is { } location && location.Contains(".statelite/tmpfs", StringComparison.Ordinal))
            {
                File.Delete(target);
                var original = _root.Map(Default + old.Path, followLast: false);
                if (Exists(original))
                {
                    Move(original, target);
                }
                else if (old.IsDirectory)
                {
                    CreateDirectory(target);
                }
                else
                {
                    Touch(target);
                }
            }

            Remove(_root.Map(Tmpfs + old.Path, followLast: false));
        }
    }

    /// <summary>
    /// Writes <c>.statelite/litefile.save</c>, the list a later run compares with, creating <c>.statelite</c> when the
    /// root has none (genimage makes it on xCAT).
    /// </summary>
    public void Save(LiteFileList list)
    {
        var state = Path.Combine(_root.Root, StateDirectory);
        if (!Directory.Exists(state) || LinkTarget(state) is not null)
        {
            Remove(state);
            _progress.Info($"creating {_logicalRoot}/{StateDirectory}");
            CreateDirectory(state);
        }

        AtomicFile.Write(SavedListPath, Encoding.UTF8.GetBytes(list.SaveText), (UnixFileMode)0x1A4);
    }

    /// <summary>Makes the layout for every entry: parents before the entries below them (liteMe).</summary>
    public void Apply(LiteFileList list)
    {
        CreateDirectory(Path.Combine(_root.Root, StateDirectory, "tmpfs"));
        foreach (var entry in list.Entries)
        {
            Item(entry, list.ParentOf(entry) is not null);
        }

        _progress.Info($"Modifying {_logicalRoot} done.");
    }

    private void Item(LiteFileEntry entry, bool isChild)
    {
        if (!entry.IsLink)
        {
            Copied(entry);
            return;
        }

        if (entry.File == "/etc/mtab")
        {
            // A root whose /etc/mtab is the kernel's list already (RHEL 7 and later: /proc/self/mounts; Debian:
            // ../proc/self/mounts) keeps it; otherwise mtab is handled like any top-level entry, whatever its parent.
            if (LinkTarget(_root.Map("/etc/mtab", followLast: false)) is "/proc/self/mounts" or "../proc/self/mounts")
            {
                Say("skipping /etc/mtab (symlink to /proc/self/mounts)");
                return;
            }

            isChild = false;
        }

        if (isChild)
        {
            LinkedChild(entry);
        }
        else
        {
            Linked(entry);
        }
    }

    // A link-based entry: the file moves to /.default, and two links lead to it through /.statelite/tmpfs.
    private void Linked(LiteFileEntry entry)
    {
        var name = entry.Path;
        var target = _root.Map(name, followLast: false);
        var defaultRoot = _root.Map(Default, followLast: false) + "/";
        if (_root.Map(name).StartsWith(defaultRoot, StringComparison.Ordinal))
        {
            // An earlier liteimg (or the entry's parent) has moved it already.
            Say($"do nothing for file {entry.File}");
            return;
        }

        var original = _root.Map(Default + name, followLast: false);
        CreateDirectory(Path.GetDirectoryName(original)!);
        Remove(original);
        if (LinkTarget(target) is { } link && !link.Contains(".statelite/tmpfs", StringComparison.Ordinal))
        {
            // The image's own link moves as a link; a relative target is made absolute so it means the same from /.default.
            var absolute = link.StartsWith('/') ? link : Normalize($"{entry.Directory}/{link}");
            Say($"mv {name} {Default}{name} (a link to {link})");
            File.Delete(target);
            File.CreateSymbolicLink(original, absolute);
        }
        else if (Exists(target) && LinkTarget(target) is null)
        {
            Say($"mv {name} {Default}{name}");
            Move(target, original);
        }
        else
        {
            Remove(target);
            CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.IsDirectory)
            {
                Say($"mkdir -p {Default}{name}");
                CreateDirectory(original);
            }
            else
            {
                Say($"touch {Default}{name}");
                Touch(original);
            }
        }

        // ../ for tmpfs, ../ for .statelite, then one ../ per directory of the path (getRelDir).
        var up = RelativeDirectory(name);
        var tmpfs = _root.Map(Tmpfs + name, followLast: false);
        CreateDirectory(Path.GetDirectoryName(tmpfs)!);
        Say($"ln -sfn ../../{up}{Default}{name} {Tmpfs}{name}");
        Link(tmpfs, $"../../{up}{Default}{name}");
        Say($"ln -sfn {up}{Tmpfs}{name} {name}");
        Link(target, $"{up}{Tmpfs}{name}");
    }

    // Below a linked directory the entry already lives in /.default; it only has to be there.
    private void LinkedChild(LiteFileEntry entry)
    {
        var original = _root.Map(Default + entry.Path, followLast: false);
        if (entry.IsDirectory)
        {
            if (!Directory.Exists(original))
            {
                Remove(original);
                Say($"mkdir -p {Default}{entry.Path}");
                CreateDirectory(original);
            }
        }
        else if (!Exists(original))
        {
            CreateDirectory(Path.GetDirectoryName(original)!);
            Say($"touch {Default}{entry.Path}");
            Touch(original);
        }
    }

    // tmpfs, persistent, ro, con, rw, localdisk: the entry stays, created empty when missing, and /.default gets a copy.
    private void Copied(LiteFileEntry entry)
    {
        var target = _root.Map(entry.Path, followLast: false);
        if (!Exists(target))
        {
            CreateDirectory(Path.GetDirectoryName(target)!);
            if (entry.IsDirectory)
            {
                Say($"mkdir -p {entry.Path}");
                CreateDirectory(target);
            }
            else
            {
                Say($"touch {entry.Path}");
                Touch(target);
            }
        }

        var copy = _root.Map(Default + entry.Path, followLast: false);
        CreateDirectory(Path.GetDirectoryName(copy)!);

        // The copy replaces the last one, so a file removed from the image since is not kept in /.default.
        Remove(copy);
        Say($"cp -r -a {entry.Path} {Default}{entry.Directory}");
        _runner.Run(new ToolCommand("cp", ["-a", "--no-target-directory", "--", target, copy]));
    }

    private static string RelativeDirectory(string path)
    {
        var depth = path.Count(c => c == '/') - 1;
        return depth == 0 ? "." : string.Join('/', Enumerable.Repeat("..", depth));
    }

    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }

        return "/" + string.Join('/', parts);
    }

    private void Say(string message)
    {
        if (_verbose)
        {
            _progress.Info(message);
        }
    }

    private static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;

    private static bool Exists(string path) => LinkTarget(path) is not null || File.Exists(path) || Directory.Exists(path);

    private static void CreateDirectory(string path) =>
        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

    private static void Touch(string path)
    {
        if (!Exists(path))
        {
            File.WriteAllBytes(path, []);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }

    private static void Remove(string path)
    {
        if (LinkTarget(path) is not null || File.Exists(path))
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from) && LinkTarget(from) is null)
        {
            Directory.Move(from, to);
        }
        else
        {
            File.Move(from, to);
        }
    }

    private static void Link(string path, string target)
    {
        Remove(path);
        File.CreateSymbolicLink(path, target);
    }
}
