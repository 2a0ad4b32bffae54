// Orchestrates the product: build the solution, run the tests, and turn recipes into xCAT bundles through the
// xcatimg CLI, one stage per task (recipe apply → genimage → packimage → imgexport).
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var solution = "./XcatImageBuild.sln";
var testResults = Directory("./artifacts/test-results");

// The main job: one recipe built into xCAT bundles. Every stage runs the xcatimg CLI on one site; a stage whose
// inputs are unchanged since its last successful run is skipped (stamps under <site>/var/lib/xcatimg/stamps).
var recipe = Argument("recipe", "recipes/debian12-netboot-compute.csx");
var site = MakeAbsolute(Directory(Argument("site", "./artifacts/site"))).FullPath;
var bundles = MakeAbsolute(Directory(Argument("bundles", "./artifacts/bundles"))).FullPath;
var force = HasArgument("force");
var recipeInputs = "";
var xcatimg = $"./src/XcatImageBuild.Cli/bin/{configuration}/net10.0/xcatimg.dll";

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

Task("Apply")
    .IsDependentOn("Build")
    .Does(() =>
{
    Xcatimg("recipe", "apply", MakeAbsolute(File(recipe)).FullPath);
});

Task("Genimage")
    .IsDependentOn("Apply")
    .Does(() =>
{
    // Read once, before genimage writes its columns back, so packimage sees the same inputs on every run.
    recipeInputs = RecipeJson();
    foreach (var image in RecipeImages())
    {
        Stage("genimage", image, recipeInputs, () => Xcatimg("genimage", image));
    }
});

Task("Packimage")
    .IsDependentOn("Genimage")
    .Does(() =>
{
    foreach (var image in RecipeImages())
    {
        Stage("packimage", image, StampOf("genimage", image) + recipeInputs, () => Xcatimg("packimage", image));
    }
});

Task("Bundle")
    .IsDependentOn("Packimage")
    .Does(() =>
{
    EnsureDirectoryExists(bundles);
    foreach (var image in RecipeImages())
    {
        var bundle = $"{bundles}/{image}.tgz";
        Stage("imgexport", image, StampOf("packimage", image) + (FileExists(bundle) ? "" : "missing"),
            () => XcatimgIn(bundles, "imgexport", image, $"{image}.tgz"));
        Information($"Bundle: {bundle}");
    }
});

RunTarget(target);

// Runs xcatimg on the site from the given working directory (the repository root by default) and returns stdout.
string Xcatimg(params string[] args) => XcatimgIn(".", args);

string XcatimgIn(string workingDirectory, params string[] args)
{
    var arguments = new ProcessArgumentBuilder().AppendQuoted(MakeAbsolute(File(xcatimg)).FullPath)
        .Append("--site").AppendQuoted(site);
    foreach (var arg in args)
    {
        arguments.AppendQuoted(arg);
    }
    var exit = StartProcess("dotnet", new ProcessSettings
    {
        Arguments = arguments,
        WorkingDirectory = workingDirectory,
        RedirectStandardOutput = true,
    }, out var output);
    var text = string.Join("\n", output);
    // recipe show --json is read, not shown; every other stage's output is the log of the job.
    if (!args.Contains("--json"))
    {
        Information(text);
    }
    if (exit != 0)
    {
        throw new CakeException($"xcatimg {string.Join(" ", args)} failed with exit code {exit}.");
    }
    return text;
}

// The recipe's resolved definitions and the contents of every file it generates: the inputs of each stage.
string RecipeJson() => Xcatimg("recipe", "show", "--json", MakeAbsolute(File(recipe)).FullPath);

IEnumerable<string> RecipeImages()
{
    using var document = System.Text.Json.JsonDocument.Parse(RecipeJson());
    return document.RootElement.GetProperty("images").EnumerateArray()
        .Select(i => i.GetProperty("name").GetString())
        .ToList();
}

string StampPath(string stage, string image) => $"{site}/var/lib/xcatimg/stamps/{image}.{stage}";

string StampOf(string stage, string image) => FileExists(StampPath(stage, image)) ? System.IO.File.ReadAllText(StampPath(stage, image)) : "";

// Runs a stage unless the digest of its inputs equals the one recorded by its last successful run.
void Stage(string stage, string image, string inputs, Action run)
{
    var digest = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(stage + "\n" + inputs)));
    var stamp = StampPath(stage, image);
    if (!force && FileExists(stamp) && System.IO.File.ReadAllText(stamp) == digest)
    {
        Information($"{stage} {image}: inputs unchanged since the last run, skipped (pass --force to run it).");
        return;
    }
    run();
    EnsureDirectoryExists(System.IO.Path.GetDirectoryName(stamp));
    System.IO.File.WriteAllText(stamp, digest);
}

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
