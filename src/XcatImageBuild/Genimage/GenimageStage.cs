using XcatImageBuild.Genimage.PackageManagers;
using XcatImageBuild.Images;
using XcatImageBuild.Processes;
using XcatImageBuild.Progress;
using XcatImageBuild.Sbom;
using XcatImageBuild.Site;
using XcatImageBuild.Site.Transactions;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Genimage;

/// <summary>
/// genimage: builds an osimage's root tree with the distribution's package manager, runs its postinstall scripts,
/// lists its packages in an SBOM, copies its kernel and builds its netboot initrd, then records what it used in the linuximage table
/// (xcat-spec §3). The steps run in the order of xCAT's manual.
/// </summary>
public sealed class GenimageStage
{
    /// <summary>
    /// The file in the root image directory that says genimage has started on the root and not finished it: written
    /// when a build starts, removed when it completes, so packimage can refuse what a failed build left.
    /// </summary>
    public const string IncompleteMarker = ".genimage-incomplete";

    private const string StageName = "genimage";

    private readonly XcatSite _site;
    private readonly IProcessRunner _runner;
    private readonly IProgressSink _progress;

    public GenimageStage(XcatSite site, IProcessRunner runner, IProgressSink progress)
    {
        ArgumentNullException.ThrowIfNull(site);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(progress);
        _site = site;
        _runner = runner;
        _progress = progress;
    }

    /// <summary>Builds the image; with <see cref="GenimageOptions.DryRun"/> only describes the build and changes nothing.</summary>
    /// <exception cref="XcatException">
    /// The definition is unusable (xCAT's messages), a tool is missing, the image is locked, or a step failed; a
    /// failed step's message starts with its name. Nothing stays mounted inside the image either way.
    /// </exception>
    public GenimageResult Run(GenimageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var definition = GenimageDefinition.Resolve(_site, options.ImageName, options, _progress);
        var packageManager = PackageManagerCatalog.For(definition.OsVers);
        var image = new GenimageContext(_site, definition, options, _runner, _progress);
        if (options.DryRun)
        {
            return new GenimageResult(definition.Name, image.RootDirectory, null, null, [], DescribePlan(image, packageManager));
        }

        Step("check tools", () => CheckTools(packageManager));
        using var imageLock = SiteLock.ForImageDirectory(_site, definition.RootImageDirectory);

        // A genimage killed outright cannot unmount what it mounted; with the lock held, nobody else uses them.
        RootMounts.UnmountAllUnder(image.RootDirectory, _runner);
        var incomplete = Path.Combine(image.ImageDirectory, IncompleteMarker);
        try
        {
            Directory.CreateDirectory(image.ImageDirectory);
            File.WriteAllText(incomplete, $"genimage {definition.Name} started {DateTimeOffset.UtcNow:u} (process {Environment.ProcessId})\n");
            if (!options.OnlyInitrd)
            {
                var cache = options.PackagesKey is null ? null : new RootCache(image);
                if (cache is not null && cache.Holds(options.PackagesKey!))
                {
                    Step("restore root", cache.Restore);
                }
                else
                {
                    if (cache is not null && Directory.Exists(image.RootDirectory))
                    {
                        Step("fresh root", cache.RemoveRoot);
                    }

                    Step("bootstrap", () => Bootstrap(image, packageManager));
                    Step("install passes", () => InstallPasses(image, packageManager));
                    Step("other packages", () => InstallOtherPackages(image, packageManager));
                    Step("update", () => Update(image, packageManager));
                    if (cache is not null)
                    {
                        Step("keep root", () => cache.Save(options.PackagesKey!));
                    }
                }

                Step("postinstall", () => Postinstall.Run(image, ImageKernel.VersionIn(image.RootDirectory, definition.KernelVersion)));
                Step("sbom", () => WriteSbom(image));
            }

            var kernel = Step("kernel", () => CopyKernel(image));
            var initrds = Step("initrd", () => DracutInitrd.Build(image, kernel));
            Step("reproducible root", () => MakeReproducible(image));
            Step("boot files", () => PublishBootFiles(image, initrds));
            Step("write back", () => WriteBack(definition));
            File.Delete(incomplete);
            return new GenimageResult(definition.Name, image.RootDirectory, Path.Combine(image.ImageDirectory, "kernel"), kernel.Version, initrds, []);
        }
        finally
        {
            RootMounts.UnmountAllUnder(image.RootDirectory, _runner);
            if (Directory.Exists(image.WorkDirectory))
            {
                Directory.Delete(image.WorkDirectory, recursive: true);
            }
        }
    }

    private void CheckTools(IPackageManager packageManager)
    {
        var missing = packageManager.RequiredTools.Append((Tool: "chroot", Package: "coreutils"))
            .Where(t => _runner.FindExecutable(t.Tool) is null)
            .ToList();
        if (missing.Count > 0)
        {
            throw new XcatException(
                string.Join('\n', missing.Select(t => $"Command {t.Tool} does not exist, please make sure it is installed.")),
                1,
                $"Install the Debian package(s): {string.Join(' ', missing.Select(t => t.Package).Distinct(StringComparer.Ordinal))}.");
        }
    }

    private static void Bootstrap(GenimageContext image, IPackageManager packageManager)
    {
        Directory.CreateDirectory(image.ImageDirectory);
        var passes = image.Definition.PkgList.Passes;
        var first = (passes.Count > 0 ? passes[0] : null)
            ?? throw new XcatException($"The pkglist {image.Definition.PkgListValue} names no packages.");
        packageManager.Bootstrap(image, first);
    }

    // Every pass is its own transaction, in numeric order (#NEW_INSTALL_LIST#, xcat-spec §3.2); the first one made
    // the root.
    private static void InstallPasses(GenimageContext image, IPackageManager packageManager)
    {
        foreach (var pass in image.Definition.PkgList.Passes.Skip(1))
        {
            packageManager.Install(image, pass);
        }
    }

    // -pkg is removed before its pass installs and --pkg after (xcat-spec §3.3 step 4).
    private static void InstallOtherPackages(GenimageContext image, IPackageManager packageManager)
    {
        foreach (var pass in image.Definition.OtherPkgList?.Passes ?? [])
        {
            packageManager.Remove(image, pass.PreRemove, pass.Environment);
            packageManager.InstallOther(image, pass);
            packageManager.Remove(image, pass.PostRemove, pass.Environment);
        }
    }

    private static void Update(GenimageContext image, IPackageManager packageManager)
    {
        if (!image.Options.NoUpdate)
        {
            packageManager.Update(image);
        }
    }

    // After the postinstall scripts, which may add or remove packages; from the image's own package database.
    private void WriteSbom(GenimageContext image)
    {
        var created = image.Options.SourceDateEpoch is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch) : DateTimeOffset.UtcNow;
        var kernel = ImageKernel.VersionIn(image.RootDirectory, image.Definition.KernelVersion);
        var (document, count) = ImageSbom.Create(image.RootDirectory, image.Definition.Name, image.Definition.OsVers, kernel, created, _runner);
        AtomicFile.Write(Path.Combine(image.ImageDirectory, ImageSbom.FileName), document);
        _progress.Info($"genimage: {count} packages listed in {image.Definition.RootImageDirectory}/{ImageSbom.FileName}");
    }

    private static ImageKernel CopyKernel(GenimageContext image)
    {
        if (!Directory.Exists(image.RootDirectory))
        {
            throw new XcatException($"The root image {image.RootDirectory} does not exist; run genimage without --onlyinitrd first.");
        }

        var kernel = ImageKernel.Find(image.RootDirectory, image.Definition.KernelVersion);
        File.Copy(kernel.File, Path.Combine(image.ImageDirectory, "kernel"), overwrite: true);
        return kernel;
    }

    private static void MakeReproducible(GenimageContext image)
    {
        if (image.Options.SourceDateEpoch is { } epoch)
        {
            ReproducibleRoot.Apply(image, epoch);
        }
    }

    // xCAT copies the kernel and initrds to <tftpdir>/xcat/osimage/<image>/ so nodes boot the new ones without a
    // nodeset (xcat-spec §3.1; unlike xCAT, from the resolved rootimgdir even when the column is unset).
    private void PublishBootFiles(GenimageContext image, IReadOnlyList<string> initrds)
    {
        var tftp = _site.Map(LogicalPath.Join(_site.TftpDir, "xcat/osimage", image.Definition.Name));
        Directory.CreateDirectory(tftp);
        foreach (var file in initrds.Append(Path.Combine(image.ImageDirectory, "kernel")))
        {
            File.Copy(file, Path.Combine(tftp, Path.GetFileName(file)), overwrite: true);
        }
    }

    // The columns xCAT's genimage saves after a build with an image name (xcat-spec §3.1) — only those the row left
    // empty, and what -k/-n change, so a column a recipe owns keeps the recipe's value.
    private void WriteBack(GenimageDefinition definition)
    {
        var row = OsImageRecord.Load(_site.Database, definition.Name);
        var values = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["permission"] = definition.Permission,
            ["pkgdir"] = definition.PkgDirValue,
            ["rootimgdir"] = definition.RootImageDirectory,
            ["pkglist"] = definition.PkgListValue,
        };
        if (definition.OtherPkgListValue is not null)
        {
            values["otherpkglist"] = definition.OtherPkgListValue;
        }

        if (definition.PostinstallValue is not null)
        {
            values["postinstall"] = definition.PostinstallValue;
        }

        foreach (var column in values.Keys.Where(c => row.Linux(c) is not null).ToList())
        {
            values.Remove(column);
        }

        foreach (var (column, value) in definition.CommandLineUpdates)
        {
            values[column] = value;
        }

        if (values.Count == 0)
        {
            return;
        }

        _site.Database.Write(session =>
        {
            session.Set(XcatSchema.LinuxImage, [definition.Name], values);
            return 0;
        });
    }

    private static List<string> DescribePlan(GenimageContext image, IPackageManager packageManager)
    {
        var definition = image.Definition;
        var plan = new List<string>
        {
            $"genimage {definition.Name}: {definition.OsVers} {definition.Arch} {definition.Profile} ({definition.ProvMethod}) with {packageManager.Name} into {definition.RootImageDirectory}/rootimg",
        };
        plan.AddRange(definition.PkgList.Passes.Select(pass => $"  pkglist pass {pass.Number}: {string.Join(' ', pass.Install)}"));
        plan.AddRange((definition.OtherPkgList?.Passes ?? []).Select(pass =>
            $"  otherpkglist pass {pass.Number}: {string.Join(' ', pass.Install)}" +
            (pass.PreRemove.Count > 0 ? $"; remove before: {string.Join(' ', pass.PreRemove)}" : string.Empty) +
            (pass.PostRemove.Count > 0 ? $"; remove after: {string.Join(' ', pass.PostRemove)}" : string.Empty)));
        plan.AddRange(definition.Postinstall.Select(script => $"  postinstall: {script.Script} {string.Join(' ', script.Arguments)}".TrimEnd()));
        plan.Add($"  kernel: {definition.KernelVersion ?? "the newest in the image"}; initrd drivers: {string.Join(' ', definition.NetDrivers)}");
        return plan;
    }

    private void Step(string name, Action work) => Step(name, () =>
    {
        work();
        return 0;
    });

    // Each step announces itself and prefixes its failure with its name, so an error says where the build stopped.
    private T Step<T>(string name, Func<T> work)
    {
        // The step's start and end; a step that can count (packages, files) reports its counts in between.
        _progress.Report(new ProgressEvent(StageName, name, 0, 0, ProgressUnit.Items));
        try
        {
            var result = work();
            _progress.Report(new ProgressEvent(StageName, name, 0, 0, ProgressUnit.Items) { Finished = true });
            return result;
        }
        catch (XcatException e)
        {
            throw new XcatException($"genimage {name} failed: {e.Message}", e.ExitCode, e.Hint, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"genimage {name} failed: {e.Message}", 1, null, e);
        }
    }
}
