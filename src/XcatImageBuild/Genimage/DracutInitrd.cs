using System.Globalization;
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

        InstallModule(root);
        WriteConfiguration(context, kernel);
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
        var outputs = new List<string> { Path.Combine(context.ImageDirectory, "initrd-stateless.gz") };
        if (context.Definition.IsStatelite)
        {
            // Our module unpacks the image into memory in both modes, so the statelite initrd is the same file.
            outputs.Add(Path.Combine(context.ImageDirectory, "initrd-statelite.gz"));
        }

        foreach (var output in outputs)
        {
            // dracut writes 0600; the tftp and http servers that hand the initrd to nodes must read it.
            AtomicFile.Create(output, temporary => File.Copy(built, temporary), (UnixFileMode)0b110_100_100);
        }

        File.Delete(built);

        return outputs;
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

    private static void WriteConfiguration(GenimageContext context, ImageKernel kernel)
    {
        var drivers = AvailableDrivers(context, kernel);
        var configuration = Path.Combine(context.RootDirectory, "etc/dracut.conf.d/90xcatimg.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(configuration)!);
        File.WriteAllText(
            configuration,
            "# Written by xcatimg genimage: the netboot initrd of this image.\n" +
            $"add_dracutmodules+=\" {ModuleName} \"\n" +
            // The root lives in memory: storage and other hardware drivers only make the initrd bigger and slower to
            // build (about half of both); the network drivers come from the network module and netdrivers.
            "omit_dracutmodules+=\" kernel-modules kernel-modules-extra \"\n" +
            (drivers.Count > 0 ? $"add_drivers+=\" {string.Join(' ', drivers)} \"\n" : string.Empty));
    }
}
