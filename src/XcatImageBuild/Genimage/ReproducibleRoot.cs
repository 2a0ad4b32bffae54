using System.Globalization;

namespace XcatImageBuild.Genimage;

/// <summary>
/// With <c>SOURCE_DATE_EPOCH</c> set, removes from a root what makes two builds of the same definition differ and
/// need not be in the image — package manager caches and logs, the machine-id's contents, SSH host keys, backup
/// copies of the account files, scratch directories — regenerates <c>ld.so.cache</c>, and clamps every mtime newer
/// than the epoch to it (the reproducible-builds.org convention).
/// </summary>
public static class ReproducibleRoot
{
    /// <summary>Directories whose contents are removed (the directories themselves stay).</summary>
    public static readonly IReadOnlyList<string> EmptiedDirectories =
    [
        "var/cache/apt", "var/lib/apt/lists", "var/cache/dnf", "var/cache/yum", "var/cache/zypp", "var/cache/man",
        "var/cache/ldconfig", "var/log", "var/lib/dnf", "var/lib/dhcp", "tmp", "var/tmp",
    ];

    /// <summary>Single files (or shell-style name patterns in a directory) that are removed.</summary>
    public static readonly IReadOnlyList<string> RemovedFiles =
    [
        "etc/ssh/ssh_host_*", "etc/passwd-", "etc/group-", "etc/shadow-", "etc/gshadow-", "etc/subuid-", "etc/subgid-",
        "var/lib/dpkg/*-old", "var/cache/debconf/*-old", "var/lib/dbus/machine-id", "var/lib/systemd/random-seed",
    ];

    /// <summary>
    /// The drop-in that makes sshd create the host keys this root no longer holds, on each node at its first start:
    /// Debian's ssh.service has no generator of its own (Fedora's sshd-keygen@.service does the same on the RHEL family).
    /// </summary>
    public const string HostKeysDropIn = "etc/systemd/system/ssh.service.d/xcatimg-host-keys.conf";

    /// <summary>Cleans the root and clamps its mtimes to <paramref name="sourceDateEpoch"/>.</summary>
    /// <exception cref="XcatException">ldconfig, find or touch failed.</exception>
    public static void Apply(GenimageContext context, long sourceDateEpoch)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = context.RootDirectory;

        // First, so that the aux-cache ldconfig writes is among what is removed below.
        if (File.Exists(Path.Combine(root, "sbin/ldconfig")) || File.Exists(Path.Combine(root, "usr/sbin/ldconfig")))
        {
            context.Runner.Run(context.InRoot("ldconfig", []));
        }

        foreach (var directory in EmptiedDirectories.Select(d => Path.Combine(root, d)).Where(Directory.Exists))
        {
            // Keep the directory tree (packages own var/log/apt and the like); drop every file in it.
            foreach (var file in Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToList())
            {
                File.Delete(file);
            }

            foreach (var link in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories)
                .Where(p => new FileInfo(p).LinkTarget is not null).ToList())
            {
                File.Delete(link);
            }
        }

        var hostKeys = Directory.Exists(Path.Combine(root, "etc/ssh")) && Directory.GetFiles(Path.Combine(root, "etc/ssh"), "ssh_host_*").Length > 0;
        foreach (var pattern in RemovedFiles)
        {
            var directory = Path.Combine(root, Path.GetDirectoryName(pattern)!);
            if (Directory.Exists(directory))
            {
                foreach (var file in Directory.GetFiles(directory, Path.GetFileName(pattern)))
                {
                    File.Delete(file);
                }
            }
        }

        if (hostKeys)
        {
            GenerateHostKeysAtBoot(root);
        }

        // systemd creates a new machine-id on first boot when the file is empty; removing it would mean "not a
        // systemd system" to some tools.
        var machineId = Path.Combine(root, "etc/machine-id");
        if (File.Exists(machineId))
        {
            File.WriteAllText(machineId, string.Empty);
        }

        var epochArgument = "@" + sourceDateEpoch.ToString(CultureInfo.InvariantCulture);
        context.Runner.Run(new Processes.ToolCommand(
            "find",
            [root, "-xdev", "-newermt", epochArgument, "-exec", "touch", "--no-dereference", $"--date={epochArgument}", "{}", "+"]));
    }

    // Every node would otherwise share one private host key, and two builds would differ in it; a node makes its own
    // (xCAT's remoteshell postscript may then replace them with the site's keys, as on any xCAT node).
    private static void GenerateHostKeysAtBoot(string root)
    {
        bool HasUnit(string unit) => File.Exists(Path.Combine(root, "lib/systemd/system", unit)) || File.Exists(Path.Combine(root, "usr/lib/systemd/system", unit));
        if (!HasUnit("ssh.service") || HasUnit("sshd-keygen@.service"))
        {
            return;
        }

        var dropIn = Path.Combine(root, HostKeysDropIn);
        Directory.CreateDirectory(Path.GetDirectoryName(dropIn)!);
        File.WriteAllText(dropIn, "# Written by xcatimg genimage: the image holds no SSH host keys, so each node creates its own.\n[Service]\n"
            + "ExecStartPre=\nExecStartPre=/usr/bin/ssh-keygen -A\nExecStartPre=/usr/sbin/sshd -t\n");
    }
}
