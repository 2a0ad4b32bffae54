using System.Runtime.CompilerServices;

namespace XcatImageBuild.Testing;

/// <summary>
/// Compares output with a golden file under the test project's <c>Golden/</c> folder. To regenerate after an
/// intended change: <c>XCATIMG_UPDATE_GOLDEN=1 dotnet test</c>, then review the diff of <c>Golden/</c>.
/// </summary>
public static class Golden
{
    public static void Check(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        var projectDir = FindProjectDirectory(callerPath);
        var path = Path.Combine(projectDir, "Golden", name);
        if (Environment.GetEnvironmentVariable("XCATIMG_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"Golden file {path} is missing; run with XCATIMG_UPDATE_GOLDEN=1 to create it.");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string FindProjectDirectory(string callerPath)
    {
        var directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !Directory.EnumerateFiles(directory, "*.csproj").Any())
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException($"No test project above {callerPath}.");
    }
}
