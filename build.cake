// Wires the product's targets: build the solution, run the tests, and turn recipes into xCAT bundles through the
// xcatimg CLI. Every decision (which stage runs and why, the records of earlier runs) is the CLI's; this file only
// names targets and passes arguments on. `dotnet cake --description` lists them.
var target = Argument("target", "Build");
var configuration = Argument("configuration", "Release");
var solution = "./XcatImageBuild.sln";
var testResults = Directory("./artifacts/test-results");

// --recipe: one file, a glob or several (comma-separated); default every recipe under recipes/.
var recipes = Argument("recipe", "recipes/*.csx").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var site = MakeAbsolute(Directory(Argument("site", "./artifacts/site"))).FullPath;
var bundles = MakeAbsolute(Directory(Argument("bundles", "./artifacts/bundles"))).FullPath;
var bundle = Argument("bundle", "");
var force = HasArgument("force");
// --sign=KEYFILE signs every bundle (build --sign); --check-reproducible makes Bundle build everything twice and compare.
var sign = HasArgument("sign") ? new[] { "--sign", MakeAbsolute(File(Argument<string>("sign"))).FullPath } : new string[0];
var checkReproducible = HasArgument("check-reproducible");
var node = Argument("node", "");
var publishDirectory = MakeAbsolute(Directory("./artifacts/xcatimg")).FullPath;

Task("Build")
    .Description("Build the solution (Release by default; --configuration=Debug).")
    .Does(() =>
{
    DotNetBuild(solution, new DotNetBuildSettings { Configuration = configuration });
});

Task("UnitTest")
    .Description("Run the fast unit tests (no root, no network).")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunTests("./tests/XcatImageBuild.Tests/XcatImageBuild.Tests.csproj", "unit");
});

// The table, definition, recipe-apply and import suites once more with every test site's tables in PostgreSQL
// (the server .ci/postgres starts; XCATIMG_TEST_PG names it).
Task("PostgresTest")
    .Description("Run the table, definition, recipe-apply and import unit suites against PostgreSQL.")
    .IsDependentOn("Build")
    .Does(() =>
{
    if (string.IsNullOrEmpty(EnvironmentVariable("XCATIMG_TEST_PG")))
    {
        throw new Exception("No PostgreSQL server for the tests: run eval \"$(.ci/postgres start)\" first.");
    }

    DotNetTest("./tests/XcatImageBuild.Tests/XcatImageBuild.Tests.csproj", new DotNetTestSettings
    {
        Configuration = configuration,
        NoBuild = true,
        Filter = "FullyQualifiedName~.Tables.|FullyQualifiedName~.Definitions.|FullyQualifiedName~RecipeApply|FullyQualifiedName~Import",
        Loggers = new[] { "trx;LogFileName=postgres.trx", "console;verbosity=normal" },
        ResultsDirectory = testResults,
        EnvironmentVariables = new Dictionary<string, string> { ["XCATIMG_TEST_TABLES"] = "postgres" },
    });
});

Task("IntegrationTest")
    .Description("Run the integration tests: real mmdebstrap, dnf, zypper, qemu, PostgreSQL and a registry (as root).")
    .IsDependentOn("Build")
    .Does(() =>
{
    RunTests("./tests/XcatImageBuild.IntegrationTests/XcatImageBuild.IntegrationTests.csproj", "integration");
});

Task("Test")
    .Description("Run the unit and integration tests and print 'N passed, N failed, N skipped' (what CI runs).")
    .IsDependentOn("UnitTest")
    .IsDependentOn("PostgresTest")
    .IsDependentOn("IntegrationTest")
    .Does(() =>
{
    PrintTotals();
});

// The recipe targets run a ReadyToRun publish of the CLI: a cold recipe evaluation then costs a fraction of a JIT start.
var published = false;
Task("Publish")
    .Description("Publish the xcatimg CLI ReadyToRun to artifacts/xcatimg (the recipe targets run it).")
    .WithCriteria(() => !published, "published before the recipes' steps were listed")
    .Does(() => PublishCli());

// Bundle, Export, Genimage and Packimage run each step of each image as a task of its own, from the list xcatimg gives
// (plan --tasks: one line per step, tab-separated): a step xcatimg skips shows in Cake's task summary as Skipped with its
// reason; a step that runs runs alone (xcatimg build RECIPE --only IMAGE:STEP), and xcatimg decides again just before.
// Listing the steps needs the CLI, so these targets publish it first.
var stepTargets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Bundle"] = "", ["Export"] = "", ["Genimage"] = "genimage", ["Packimage"] = "packimage" };
var steps = new List<string>();
var unbuilt = new List<string>();
var failedImages = new HashSet<string>();
if (stepTargets.TryGetValue(target, out var until) && !(checkReproducible && target == "Bundle"))
{
    PublishCli();
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var listing = XcatimgLines(until == "" ? BuildArguments("plan", new[] { "--tasks" }.Concat(sign).ToArray()) : BuildArguments("plan", "--tasks", "--until", until)).ToList();
    Information($"xcatimg plan --tasks: {listing.Count} steps in {clock.Elapsed.TotalSeconds:F1} s");
    foreach (var line in listing)
    {
        var fields = line.Split('\t');
        var (stage, image, outcome, recipe, reason) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        if (stage == "recipe")
        {
            unbuilt.Add(reason);
            continue;
        }

        var name = $"{stage} {image}";
        var task = Task(name).Description($"{outcome}: {reason}");
        steps.Add(name);
        switch (outcome)
        {
            case "runs":
                task.WithCriteria(() => !failedImages.Contains(image), $"an earlier step of {image} failed")
                    .Does(() => Xcatimg(new[] { "build", recipe, "--bundles", bundles, "--only", $"{image}:{stage}" }.Concat(force ? new[] { "--force" } : new string[0]).Concat(sign).ToArray()))
                    .OnError(e =>
                    {
                        failedImages.Add(image);
                        unbuilt.Add($"{name} failed");
                    });
                break;
            case "blocked":
                task.WithCriteria(false, $"blocked: {reason}");
                unbuilt.Add($"{image} is blocked: {reason}");
                break;
            default:
                task.WithCriteria(false, reason);
                break;
        }
    }
}

Task("Show")
    .Description("Print what each recipe defines and the files apply would write (recipe show); writes nothing.")
    .IsDependentOn("Publish")
    .Does(() =>
{
    foreach (var recipe in RecipeFiles())
    {
        Xcatimg("recipe", "show", recipe);
    }
});

Task("Plan")
    .Description("Print what Bundle would do, stage by stage, and why (xcatimg plan); writes nothing, and needs the site Apply or Bundle made.")
    .IsDependentOn("Publish")
    .Does(() =>
{
    Xcatimg(BuildArguments("plan"));
});

Task("Apply")
    .Description("Write each recipe's osimage and linuximage rows and list files into the site (recipe apply).")
    .IsDependentOn("Publish")
    .Does(() =>
{
    foreach (var recipe in RecipeFiles())
    {
        Xcatimg("recipe", "apply", recipe);
    }
});

StepTarget("Genimage")
    .Description("Apply the recipes and build their roots (each image's steps of xcatimg build --until genimage).");

StepTarget("Packimage")
    .Description("Apply, build and pack the recipes' roots (each image's steps of xcatimg build --until packimage).");

if (checkReproducible)
{
    Task("Bundle")
        .Description("Build every recipe into bundles in --bundles twice, the second time in a scratch site, and report each file whose bytes differ (xcatimg build --check-reproducible).")
        .IsDependentOn("Publish")
        .Does(() => Xcatimg(BuildArguments("build", new[] { "--check-reproducible" }.Concat(sign).ToArray())));
}
else
{
    StepTarget("Bundle")
        .Description("Build every recipe into bundles in --bundles (each image's steps of xcatimg build); a step whose inputs are unchanged is skipped, with its reason.");
}

Task("BootTest")
    .Description("Build and pack the recipes, set --node=NODE to each image and boot it in qemu as the cluster would (xcatimg build --until packimage --boottest NODE).")
    .IsDependentOn("Publish")
    .Does(() =>
{
    if (string.IsNullOrEmpty(node))
    {
        throw new CakeException("BootTest needs --node=NODE: a node defined in the site with netboot=xnba, a mac and a serial console.");
    }

    Xcatimg(BuildArguments("build", "--until", "packimage", "--boottest", node));
});

Task("Export")
    .Description("Same as Bundle: the bundles are imgexport's output.")
    .IsDependentOn("Bundle");

Task("Verify")
    .Description("Check every bundle in --bundles as an import would, changing nothing (imgimport --verify-only).")
    .IsDependentOn("Publish")
    .Does(() =>
{
    var files = GetFiles($"{bundles}/*.tgz");
    if (files.Count == 0)
    {
        throw new CakeException($"No bundle in {bundles}; run the Bundle target first.");
    }

    foreach (var file in files)
    {
        Xcatimg("imgimport", "--verify-only", file.FullPath);
    }
});

Task("Import")
    .Description("Import one bundle into the site: --bundle=FILE (imgimport).")
    .IsDependentOn("Publish")
    .Does(() =>
{
    if (string.IsNullOrEmpty(bundle))
    {
        throw new CakeException("Import needs --bundle=FILE.");
    }

    Xcatimg("imgimport", MakeAbsolute(File(bundle)).FullPath);
});

Task("Clean")
    .Description("Remove artifacts/ (the site, bundles, test results, the published CLI) and the build outputs.")
    .Does(() =>
{
    // A root image may still hold a bind mount of /dev or /proc; deleting through it would delete the host's.
    var artifacts = MakeAbsolute(Directory("./artifacts")).FullPath;
    var mounted = System.IO.File.ReadAllLines("/proc/self/mounts")
        .Select(l => l.Split(' ')[1])
        .Where(m => m == artifacts || m.StartsWith(artifacts + "/", StringComparison.Ordinal))
        .ToList();
    if (mounted.Count > 0)
    {
        throw new CakeException($"Not cleaning: mounted under artifacts/: {string.Join(", ", mounted)}; unmount them first (umount -R).");
    }

    CleanDirectories("./artifacts");
    DotNetClean(solution, new DotNetCleanSettings { Configuration = configuration });
});

RunTarget(target);

// Every recipe file the --recipe argument names (globs expanded); a name that matches nothing is an error.
IEnumerable<string> RecipeFiles()
{
    foreach (var pattern in recipes)
    {
        var files = GetFiles(pattern).Select(f => f.FullPath).OrderBy(f => f, StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new CakeException($"The recipe {pattern} matches no file.");
        }

        foreach (var file in files)
        {
            yield return file;
        }
    }
}

string[] BuildArguments(string verb, params string[] extra)
{
    var arguments = new List<string> { verb };
    arguments.AddRange(RecipeFiles());
    arguments.AddRange(new[] { "--bundles", bundles });
    arguments.AddRange(extra);
    if (force)
    {
        arguments.Add("--force");
    }

    return arguments.ToArray();
}

void PublishCli()
{
    DotNetPublish("./src/XcatImageBuild.Cli/XcatImageBuild.Cli.csproj", new DotNetPublishSettings
    {
        Configuration = configuration,
        Runtime = "linux-x64",
        SelfContained = false,
        PublishReadyToRun = true,
        OutputDirectory = publishDirectory,
    });
    published = true;
}

// A target made of the image steps listed above; it fails, once they are done, when any was blocked or failed.
CakeTaskBuilder StepTarget(string name)
{
    var task = Task(name).IsDependentOn("Publish");
    foreach (var step in steps)
    {
        task.IsDependentOn(step);
    }

    return task.Does(() =>
    {
        if (unbuilt.Count > 0)
        {
            throw new CakeException($"Not every image was built: {string.Join("; ", unbuilt)}.");
        }
    });
}

// Runs the published xcatimg on the site; its output streams into the log as it is printed.
void Xcatimg(params string[] args) => RunXcatimg(args, null);

// Runs the published xcatimg on the site and returns its standard output's lines; its standard error streams into the log.
IEnumerable<string> XcatimgLines(params string[] args)
{
    var lines = new List<string>();
    RunXcatimg(args, lines);
    return lines;
}

void RunXcatimg(string[] args, List<string> output)
{
    var arguments = new ProcessArgumentBuilder().AppendQuoted($"{publishDirectory}/xcatimg.dll").Append("--site").AppendQuoted(site);
    foreach (var arg in args)
    {
        arguments.AppendQuoted(arg);
    }

    var exit = StartProcess("dotnet", new ProcessSettings { Arguments = arguments, RedirectStandardOutput = output is not null }, out var redirected);
    if (exit != 0)
    {
        throw new CakeException($"xcatimg {args[0]} failed with exit code {exit}.");
    }

    output?.AddRange(redirected);
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
