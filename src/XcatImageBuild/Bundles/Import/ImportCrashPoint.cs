using System.Diagnostics;

namespace XcatImageBuild.Bundles.Import;

/// <summary>
/// Fault injection for the kill tests: when the environment variable <c>XCATIMG_IMPORT_CRASH_AT</c> names a point of
/// the commit (<c>journal</c>, <c>prepared</c>, <c>move</c>, <c>before-transaction</c>, <c>after-transaction</c>),
/// the process kills itself with SIGKILL there, exactly as an administrator's <c>kill -9</c> would. Unset, it does
/// nothing.
/// </summary>
internal static class ImportCrashPoint
{
    private const string Variable = "XCATIMG_IMPORT_CRASH_AT";

    public static void At(string point)
    {
        if (Environment.GetEnvironmentVariable(Variable) == point)
        {
            using var self = Process.GetCurrentProcess();
            self.Kill();
        }
    }
}
