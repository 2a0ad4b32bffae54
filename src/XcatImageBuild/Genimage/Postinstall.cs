using XcatImageBuild.Processes;

namespace XcatImageBuild.Genimage;

/// <summary>
/// Runs linuximage.postinstall as xCAT does (xcat-spec §3.3 step 9): each script outside the chroot as
/// <c>script &lt;rootimg&gt; &lt;osver&gt; &lt;arch&gt; &lt;profile&gt; [args...]</c> with the <c>IMG_*</c> variables.
/// </summary>
public static class Postinstall
{
    /// <summary>Runs every script in order.</summary>
    /// <exception cref="XcatException">
    /// A script is not executable (<c>postinstall script &lt;s&gt; is not executable</c>) or exits non-zero
    /// (<c>postinstall script &lt;s&gt; failed</c>, with its exit code and last lines).
    /// </exception>
    public static void Run(GenimageContext context, string kernelVersion)
    {
        ArgumentNullException.ThrowIfNull(context);
        var definition = context.Definition;
        foreach (var script in definition.Postinstall)
        {
            var path = context.Site.Map(script.Script);
            if ((File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0)
            {
                throw new XcatException($"postinstall script {script.Script} is not executable");
            }

            var command = context.OnHost(
                path,
                [context.RootDirectory, definition.OsVers, definition.Arch, definition.Profile, .. script.Arguments],
                [
                    $"IMG_NAME={definition.Name}",
                    $"IMG_ARCH={definition.Arch}",
                    $"IMG_OSVER={definition.OsVers}",
                    $"IMG_KERNELVERSION={kernelVersion}",
                    $"IMG_PROFILE={definition.Profile}",
                    $"IMG_PKGLIST={MapList(context, definition.PkgListValue)}",
                    $"IMG_PKGDIR={MapList(context, definition.PkgDirValue)}",
                    $"IMG_OTHERPKGLIST={MapList(context, definition.OtherPkgListValue)}",
                    $"IMG_OTHERPKGDIR={MapList(context, definition.OtherPkgDirValue)}",
                    $"IMG_ROOTIMGDIR={context.RootDirectory}",
                ]);
            var result = context.Runner.RunUnchecked(command);
            if (result.ExitCode != 0)
            {
                var failure = ProcessRunner.Failure(result).Message;
                throw new XcatException($"postinstall script {script.Script} failed\n{failure}");
            }
        }
    }

    // The scripts run on this host, so they get the paths as they are on disk (the same as the logical ones on a real
    // management node); URLs stay as they are.
    private static string MapList(GenimageContext context, string? value) =>
        string.Join(',', (value ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => item.StartsWith('/') ? context.Site.Map(item) : item));
}
