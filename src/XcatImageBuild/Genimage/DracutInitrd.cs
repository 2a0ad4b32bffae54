using System.Globalization;
using XcatImageBuild.Build;
using XcatImageBuild.Site.Transactions;

namespace XcatImageBuild.Genimage;

/// <summary>
/// Builds the netboot initrd with the image's own dracut (xcat-spec §3.3 step 11): our <c>90xcatimg</c> module goes
/// into the image's dracut modules, the drivers into <c>/etc/dracut.conf.d/90xcatimg.conf</c>, and dracut runs in
/// the chroot for the image's kernel. The result is <c>initrd-stateless.gz</c>, and for statelite images also
/// <c>initrd-statelite.gz</c>.
/// </summary>
public static class DracutInitrd
{
    /// <summary>The dracut module's name and directory.</summary>
    public const string ModuleName = "xcatimg";

    private const string ModuleDirectory = "usr/lib/dracut/modules.d/90xcatimg";
    private const string ResourcePrefix = "XcatImageBuild.Genimage.Dracut.90xcatimg.";

    /// <summary>The files of the dracut module: name in the module directory → content.</summary>
    public static IReadOnlyDictionary<string, string> ModuleFiles()
    {
        var assembly = typeof(DracutInitrd).Assembly;
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            files[name[ResourcePrefix.Length..]] = new StreamReader(stream).ReadToEnd();
        }

        return files;
    }

    /// <summary>Builds the initrds into the root image directory; returns the files written.</summary>
    /// <exception cref="XcatException">The image has no dracut, or dracut failed or left our module out.</exception>
    public static IReadOnlyList<string> Build(GenimageContext context, ImageKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(kernel);
        var root = context.RootDirectory;
        if (!File.Exists(Path.Combine(root, "usr/bin/dracut")) && !File.Exists(Path.Combine(root, "sbin/dracut")))
        {
            throw new XcatException(
                $"dracut is not installed in the image {root}; add dracut (and dracut-network, for imgurl=) to the pkglist.");
        }

        var configuration = Configuration(AvailableDrivers(context, kernel));
        var key = context.Options.PackagesKey is null ? null : InputsKey(context, kernel, configuration);
        InstallModule(root);
        WriteConfiguration(root, configuration);
        var outputs = new List<string> { Path.Combine(context.ImageDirectory, "initrd-stateless.gz") };
        if (context.Definition.IsStatelite)
        {
            // Our module unpacks the image into memory in both modes, so the statelite initrd is the same file.
            outputs.Add(Path.Combine(context.ImageDirectory, "initrd-statelite.gz"));
        }

        var cache = Path.Combine(context.ImageDirectory, RootCache.DirectoryName);
        var cachedInitrd = Path.Combine(cache, "initrd.gz");
        var cachedKey = Path.Combine(cache, "initrd.key");
        if (key is not null && File.Exists(cachedKey) && File.ReadAllText(cachedKey).Trim() == key && File.Exists(cachedInitrd))
        {
            context.Progress.Info($"genimage: the initrd's inputs (kernel {kernel.Version} and its modules, dracut and its configuration, the tools it copies) are unchanged; it is reused");
            Publish(cachedInitrd, outputs);
            return outputs;
        }

        var inRoot = "/tmp/xcatimg-initrd.gz";
        var arguments = new List<string> { "--force", "--no-hostonly", "--gzip", "--no-early-microcode" };
        var environment = new List<string>();
        if (context.Options.SourceDateEpoch is { } epoch)
        {
            arguments.Add("--reproducible");
            environment.Add("SOURCE_DATE_EPOCH=" + epoch.ToString(CultureInfo.InvariantCulture));
        }

        arguments.AddRange([inRoot, kernel.Version]);
        string printed;
        using (context.MountKernelFileSystems())
        {
            var result = context.Runner.Run(context.InRoot("dracut", arguments, environment));
            printed = result.StandardError + "\n" + result.StandardOutput;
        }

        if (!printed.Contains($"Including module: {ModuleName} ", StringComparison.Ordinal))
        {
            var reasons = printed.Split('\n').Where(l => l.Contains(ModuleName, StringComparison.Ordinal)).Select(l => "  " + l.Trim());
            throw new XcatException(string.Join('\n', [$"dracut left the {ModuleName} module out of the initrd:", .. reasons]));
        }

        var built = Path.Combine(root, inRoot.TrimStart('/'));
        Publish(built, outputs);
        if (key is not null)
        {
            // The key goes last: an initrd copied half-way is never taken for the one of these inputs.
            Directory.CreateDirectory(cache);
            File.Delete(cachedKey);
            AtomicFile.Create(cachedInitrd, temporary => File.Copy(built, temporary), (UnixFileMode)0b110_100_100);
            File.WriteAllText(cachedKey, key + "\n");
        }

        File.Delete(built);

        return outputs;
    }

    // dracut writes 0600; the tftp and http servers that hand the initrd to nodes must read it.
    private static void Publish(string initrd, IReadOnlyList<string> outputs)
    {
        foreach (var output in outputs)
        {
            AtomicFile.Create(output, temporary => File.Copy(initrd, temporary), (UnixFileMode)0b110_100_100);
        }
    }

    // What the initrd is made of, as found in the root before our module and configuration are written there (they
    // enter as their content): the kernel and its modules, dracut and its configuration, udev and modprobe settings,
    // and the programs and libraries dracut copies in, each tree by its metadata (BuildDigest.OfTree). A build's root
    // is fresh or restored from the package passes at this point, so a postinstall that leaves these alone leaves the
    // key as it was.
    private static string InputsKey(GenimageContext context, ImageKernel kernel, string configuration)
    {
        var key = new System.Text.StringBuilder()
            .Append("kernel ").Append(kernel.Version).Append('\n')
            .Append("statelite ").Append(context.Definition.IsStatelite).Append('\n')
            .Append("SOURCE_DATE_EPOCH ").Append(context.Options.SourceDateEpoch?.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("configuration ").Append(configuration).Append('\n');
        foreach (var (name, content) in ModuleFiles())
        {
            key.Append("module ").Append(name).Append('\n').Append(content).Append('\n');
        }

        string[] inputs =
        [
            "boot", $"usr/lib/modules/{kernel.Version}", $"lib/modules/{kernel.Version}", "usr/lib/dracut", "lib/dracut",
            "etc/dracut.conf", "etc/dracut.conf.d", "etc/modprobe.d", "usr/lib/modprobe.d", "etc/udev", "usr/lib/udev",
            "usr/bin", "usr/sbin", "bin", "sbin", "usr/lib64", "lib64", "usr/lib/x86_64-linux-gnu", "usr/lib/aarch64-linux-gnu",
            "usr/lib/powerpc64le-linux-gnu", "usr/lib/systemd", "etc/ld.so.conf", "etc/ld.so.conf.d",
        ];
        foreach (var input in inputs)
        {
            key.Append(input).Append(' ').Append(BuildDigest.OfPath(Path.Combine(context.RootDirectory, input)) ?? "missing").Append('\n');
        }

        return BuildDigest.OfText(key.ToString());
    }

    /// <summary>
    /// The drivers that exist for the kernel (as loadable modules); others are left out with a warning and built-in
    /// ones need nothing.
    /// </summary>
    public static IReadOnlyList<string> AvailableDrivers(GenimageContext context, ImageKernel kernel)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(kernel);
        var modules = Path.Combine(context.RootDirectory, "lib/modules", kernel.Version);
        static string Normal(string name) => name.Replace('-', '_');
        var loadable = Directory.Exists(modules)
            ? Directory.EnumerateFiles(modules, "*.ko*", SearchOption.AllDirectories)
                .Select(f => Normal(Path.GetFileName(f).Split(".ko", 2)[0]))
                .ToHashSet(StringComparer.Ordinal)
            : [];
        var builtinList = Path.Combine(modules, "modules.builtin");
        var builtin = File.Exists(builtinList)
            ? File.ReadLines(builtinList).Select(l => Normal(Path.GetFileName(l).Split(".ko", 2)[0])).ToHashSet(StringComparer.Ordinal)
            : [];
        var available = new List<string>();
        foreach (var driver in context.Definition.NetDrivers)
        {
            if (loadable.Contains(Normal(driver)))
            {
                available.Add(driver);
            }
            else if (!builtin.Contains(Normal(driver)))
            {
                context.Progress.Warning($"The driver {driver} is not in kernel {kernel.Version} of the image; it is left out of the initrd.");
            }
        }

        return available;
    }

    private static void InstallModule(string root)
    {
        var directory = Path.Combine(root, ModuleDirectory);
        Directory.CreateDirectory(directory);
        foreach (var (name, content) in ModuleFiles())
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, content);
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }
    }

    private static string Configuration(IReadOnlyList<string> drivers) =>
        "# Written by xcatimg genimage: the netboot initrd of this image.\n" +
        $"add_dracutmodules+=\" {ModuleName} \"\n" +
        // The root lives in memory: storage and other hardware drivers only make the initrd bigger and slower to
        // build (about half of both); the network drivers come from the network module and netdrivers.
        "omit_dracutmodules+=\" kernel-modules kernel-modules-extra \"\n" +
        (drivers.Count > 0 ? $"add_drivers+=\" {string.Join(' ', drivers)} \"\n" : string.Empty);

    private static void WriteConfiguration(string root, string configuration)
    {
        var path = Path.Combine(root, "etc/dracut.conf.d/90xcatimg.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, configuration);
    }
}
