using System.Text;
using XcatImageBuild.Processes;

namespace XcatImageBuild.Genimage;

/// <summary>
/// The kernel file systems (and any extra bind mounts) a root image needs while tools run inside it. Mounted on
/// <see cref="Mount"/>, and on <see cref="Dispose"/> everything mounted at or below the root is unmounted — what this
/// helper mounted and anything a tool left behind — deepest first, falling back to a lazy recursive unmount, so a
/// failed step never leaves the host with mounts inside an image.
/// </summary>
public sealed class RootMounts : IDisposable
{
    private readonly string _root;
    private readonly IProcessRunner _runner;
    private readonly List<string> _mounted = [];
    private bool _disposed;

    private RootMounts(string root, IProcessRunner runner)
    {
        _root = root;
        _runner = runner;
    }

    /// <summary>
    /// Mounts <c>/proc</c>, <c>/sys</c> and <c>/dev</c> into <paramref name="root"/>, then each bind of
    /// <paramref name="binds"/> (a host directory onto a path inside the root).
    /// </summary>
    /// <exception cref="XcatException">A mount failed; whatever was mounted is unmounted again.</exception>
    public static RootMounts Mount(string root, IProcessRunner runner, IEnumerable<(string HostDirectory, string PathInRoot)>? binds = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(runner);
        var mounts = new RootMounts(Path.GetFullPath(root), runner);
        try
        {
            mounts.MountOne(["-t", "proc", "proc"], "proc");
            mounts.MountOne(["-t", "sysfs", "sysfs"], "sys");
            mounts.MountOne(["--bind", "/dev"], "dev");
            foreach (var (hostDirectory, pathInRoot) in binds ?? [])
            {
                Directory.CreateDirectory(hostDirectory);
                mounts.MountOne(["--bind", hostDirectory], pathInRoot.TrimStart('/'));
            }

            return mounts;
        }
        catch
        {
            mounts.Dispose();
            throw;
        }
    }

    /// <summary>The mount points at or below <paramref name="directory"/>, read from <c>/proc/self/mountinfo</c>.</summary>
    public static IReadOnlyList<string> MountPointsUnder(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var prefix = Path.GetFullPath(directory).TrimEnd('/');
        return [.. File.ReadAllLines("/proc/self/mountinfo")
            .Select(line => Unescape(line.Split(' ')[4]))
            .Where(point => point == prefix || point.StartsWith(prefix + "/", StringComparison.Ordinal))];
    }

    /// <summary>Unmounts everything at or below the root, deepest first; never throws.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Unmount(_root, _runner, _mounted);
    }

    /// <summary>
    /// Unmounts everything mounted strictly below <paramref name="root"/>, deepest first; a mount that stays busy is
    /// detached with <c>umount --lazy --recursive</c>.
    /// </summary>
    /// <returns>The mount points still present afterwards (empty when all went).</returns>
    public static IReadOnlyList<string> UnmountAllUnder(string root, IProcessRunner runner)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(runner);
        return Unmount(Path.GetFullPath(root), runner, []);
    }

    // What this helper mounted is unmounted by name whatever the mount table shows, then whatever a tool left behind;
    // deepest first, so a tool's /dev/pts goes before our /dev.
    private static List<string> Unmount(string root, IProcessRunner runner, IEnumerable<string> mountedHere)
    {
        var full = root.TrimEnd('/');
        foreach (var point in Below(full).Union(mountedHere, StringComparer.Ordinal).OrderByDescending(p => p.Length))
        {
            var result = runner.RunUnchecked(new ToolCommand("umount", [point]));
            if (result.ExitCode != 0 && Below(full).Contains(point))
            {
                runner.RunUnchecked(new ToolCommand("umount", ["--lazy", "--recursive", point]));
            }
        }

        return Below(full);
    }

    private static List<string> Below(string root) =>
        [.. MountPointsUnder(root).Where(p => p != root).Distinct(StringComparer.Ordinal)];

    private void MountOne(IReadOnlyList<string> source, string relativeTarget)
    {
        var target = Path.Combine(_root, relativeTarget);
        Directory.CreateDirectory(target);
        _runner.Run(new ToolCommand("mount", [.. source, target]));
        _mounted.Add(target);
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo octal.
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder();
        for (var i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length)
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
