using System.Diagnostics;
using XcatImageBuild.Bundles.Import;
using XcatImageBuild.Site;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Bundles;

/// <summary>
/// The test assembly's entry point, the process <see cref="ImportKillTests"/> stops at a step of the commit:
/// <c>dotnet XcatImageBuild.Tests.dll &lt;step&gt; &lt;site&gt; &lt;bundle&gt;</c> imports the bundle as imgimport does and
/// kills itself with SIGKILL when the commit reaches the step, exactly as an administrator's <c>kill -9</c> would.
/// </summary>
internal static class ImportCrashHost
{
    public static int Main(string[] args)
    {
        var step = Enum.Parse<ImportCommitStep>(args[0]);
        var site = XcatSite.Open(args[1]);
        new Importer(site, new CollectingProgress()).Run(new ImportOptions
        {
            BundlePath = args[2],
            OnCommitStep = reached =>
            {
                if (reached == step)
                {
                    using var self = Process.GetCurrentProcess();
                    self.Kill();
                }
            },
        });
        return 0;
    }
}
