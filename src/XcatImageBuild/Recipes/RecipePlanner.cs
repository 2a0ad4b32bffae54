using XcatImageBuild.Distributions;
using XcatImageBuild.Images;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Recipes;

/// <summary>
/// Resolves an evaluated recipe against a site: checks every image, builds the generated list files, the postinstall
/// script and the install template, and the osimage and linuximage columns that name them. Reads the site and the
/// recipe's list files; writes nothing. Every problem is collected, none stops the others from being found.
/// </summary>
public sealed partial class RecipePlanner
{
    /// <summary>The provisioning methods a recipe can define (xcat-spec §5).</summary>
    public static readonly IReadOnlyList<string> ProvMethods = ["netboot", "statelite", "install"];

    private readonly SiteRoot _root;
    private readonly RecipeCache? _cache;
    private readonly string _installDir;
    private readonly List<RecipeProblem> _problems = [];
    private readonly List<RecipeProblem> _warnings = [];
    private string _recipeDirectory = "/";

    /// <summary>Plans against the site at <paramref name="root"/> whose site.installdir is <paramref name="installDir"/>.</summary>
    /// <param name="root">The site root.</param>
    /// <param name="installDir">site.installdir (logical).</param>
    /// <param name="cache">Where rendered install templates are kept between runs; none when null.</param>
    public RecipePlanner(SiteRoot root, string installDir, RecipeCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrEmpty(installDir);
        _root = root;
        _cache = cache;
        _installDir = LogicalPath.Normalize(installDir);
    }

    /// <summary>Resolves every image of <paramref name="evaluation"/>.</summary>
    public RecipePlan Plan(RecipeEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        _problems.Clear();
        _warnings.Clear();
        _recipeDirectory = evaluation.RecipeDirectory;
        if (evaluation.Images.Count == 0)
        {
            _problems.Add(new RecipeProblem(new SourceLocation(evaluation.RecipeFile, 1), "the recipe defines no image; call Image(\"name\")."));
        }

        CheckUniqueNames(evaluation.Images, evaluation.RecipeDirectory);
        var images = new List<PlannedImage>();
        foreach (var definition in evaluation.Images)
        {
            var planned = PlanImage(definition);
            if (planned is not null)
            {
                images.Add(planned);
            }
        }

        CheckSharedFiles(images);
        return new RecipePlan(evaluation, images, [.. _problems], [.. _warnings]);
    }

    private PlannedImage? PlanImage(ImageDefinition image)
    {
        _problems.AddRange(image.Mistakes);
        var complete = CheckIdentity(image);
        var pkglist = RenderPackages(image, image.Packages);
        var otherpkglist = RenderPackages(image, image.OtherPackages, "otherpkglist");
        var exlist = RenderExcludes(image);
        var synclist = RenderSync(image);
        var postinstallScript = RenderPostinstall(image);
        CheckPostinstallFiles(image);
        CheckMethodSpecific(image);
        if (!complete)
        {
            return null;
        }

        var method = image.ProvMethod!;
        var distribution = Distribution.Of(image.OsVers!)!;
        var directory = $"{_installDir}/custom/{(method == "install" ? "install" : "netboot")}/{distribution.Platform}";
        var stem = $"{directory}/{image.Profile}.{image.OsVers}.{image.OsArch}";
        var files = new List<PlannedFile>();
        string? Add(string? content, string extension, string purpose, UnixFileMode mode = PlannedFile.Regular)
        {
            if (content is null)
            {
                return null;
            }

            var path = $"{stem}.{extension}";
            files.Add(new PlannedFile(path, purpose, content, mode));
            return path;
        }

        string? template = null;
        if (method == "install")
        {
            template = Add(RenderTemplate(image, distribution), "tmpl", "template");
        }

        var pkglistPath = Add(pkglist, "pkglist", "pkglist");
        var otherPath = Add(otherpkglist, "otherpkgs.pkglist", "otherpkglist");
        var exlistPath = Add(exlist, "exlist", "exlist");
        var postinstallPath = Add(postinstallScript, "postinstall", "postinstall", PlannedFile.Executable);
        var synclistPath = Add(synclist, "synclist", "synclists");

        var osImage = Row(
            XcatSchema.OsImage,
            new Dictionary<string, string?>
            {
                ["groups"] = Join(image.Groups),
                ["profile"] = image.Profile,
                ["imagetype"] = "linux",
                ["description"] = image.Description,
                ["provmethod"] = method,
                ["osname"] = "Linux",
                ["osvers"] = image.OsVers,
                ["osarch"] = image.OsArch,
                ["synclists"] = synclistPath,
                ["postscripts"] = Join(image.Postscripts),
                ["postbootscripts"] = Join(image.Postbootscripts),
                ["environvar"] = Join(image.EnvironmentVariables),
            });
        var linuxImage = Row(
            XcatSchema.LinuxImage,
            new Dictionary<string, string?>
            {
                ["template"] = template,
                ["addkcmdline"] = image.KernelArguments,
                ["pkglist"] = pkglistPath,
                ["pkgdir"] = Join(image.Repositories) ?? DefaultPackageDirectory(image, distribution),
                ["otherpkglist"] = otherPath,
                ["otherpkgdir"] = Join(image.OtherRepositories)
                    ?? (otherPath is null ? null : $"{_installDir}/post/otherpkgs/{image.OsVers}/{image.OsArch}"),
                ["exlist"] = exlistPath,
                ["postinstall"] = PostinstallColumn(image, postinstallPath),
                ["rootimgdir"] = image.RootImageDirectory
                    ?? (method == "install" ? null : $"{_installDir}/netboot/{image.OsVers}/{image.OsArch}/{image.Profile}"),
                ["netdrivers"] = Join(image.NetDrivers),
                ["kernelver"] = image.KernelVersion,
                // genimage records 755 when the row leaves it empty (xcat-spec §3.1); planning the same default keeps
                // a recipe applied after a genimage from changing the row.
                ["permission"] = image.Permission ?? (method == "install" ? null : "755"),
            });
        return new PlannedImage(image, osImage, linuxImage, files);
    }

    /// <summary>Checks what names the image and its files; false when files cannot be named.</summary>
    private bool CheckIdentity(ImageDefinition image)
    {
        var complete = true;
        void Problem(string message)
        {
            _problems.Add(new RecipeProblem(image.At, $"image '{image.Name}': {message}"));
            complete = false;
        }

        if (string.IsNullOrWhiteSpace(image.Name) || image.Name.Any(c => char.IsWhiteSpace(c) || c == ','))
        {
            Problem("the image name must be non-empty, without spaces or commas.");
        }

        if (image.ProvMethod is null)
        {
            Problem("provmethod is not set; call .Netboot(), .Statelite() or .Install().");
        }
        else if (!ProvMethods.Contains(image.ProvMethod, StringComparer.Ordinal))
        {
            Problem($"unknown provmethod '{image.ProvMethod}'; use {string.Join(", ", ProvMethods)}.");
        }

        if (string.IsNullOrWhiteSpace(image.OsVers))
        {
            Problem("osvers is not set; call .Os(\"<osvers>\", \"<arch>\").");
        }
        else if (Distribution.Of(image.OsVers) is null)
        {
            Problem($"osvers '{image.OsVers}' names no xCAT platform; it must start with one of {string.Join(", ", Distribution.All.Select(d => d.Prefix))}.");
        }

        if (string.IsNullOrWhiteSpace(image.OsArch))
        {
            Problem("osarch is not set; call .Os(\"<osvers>\", \"<arch>\").");
        }

        if (string.IsNullOrWhiteSpace(image.Profile))
        {
            Problem("profile is not set; call .Profile(\"<profile>\").");
        }
        else if (image.Profile.Any(c => char.IsWhiteSpace(c) || c is '/' or ','))
        {
            Problem($"profile '{image.Profile}' must not contain spaces, commas or '/'.");
        }

        foreach (var (field, value) in new[] { ("imagename", image.Name), ("osvers", image.OsVers), ("osarch", image.OsArch) })
        {
            if (!string.IsNullOrEmpty(value) && OsImageFields.NameProblem(value) is { } problem)
            {
                Problem($"{field} '{OsImageFields.Escape(value)}' {problem}.");
            }
        }

        if (image.RootImageDirectory is { } rootImageDirectory && OsImageFields.DirectoryProblem(rootImageDirectory, _installDir, []) is { } outside)
        {
            Problem($"rootimgdir '{OsImageFields.Escape(rootImageDirectory)}' {outside}.");
        }

        return complete;
    }

    private void CheckUniqueNames(IReadOnlyList<ImageDefinition> images, string recipeDirectory)
    {
        foreach (var group in images.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var again in group.Skip(1))
            {
                _problems.Add(new RecipeProblem(
                    again.At,
                    $"image '{again.Name}' is defined twice (first at {first.At.Describe(recipeDirectory)})."));
            }
        }
    }

    private void CheckSharedFiles(List<PlannedImage> images)
    {
        // Two images may share a generated file (a netboot and a statelite image of one profile) only when they
        // would write the same bytes; otherwise the second would silently change the first.
        var byPath = new Dictionary<string, (PlannedImage Image, PlannedFile File)>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            foreach (var file in image.Files)
            {
                if (byPath.TryGetValue(file.LogicalPath, out var earlier) && (earlier.File.Content != file.Content || earlier.File.Mode != file.Mode))
                {
                    _problems.Add(new RecipeProblem(
                        image.Definition.At,
                        $"image '{image.Name}' and image '{earlier.Image.Name}' both generate {file.LogicalPath} with different content; give them different profiles."));
                }

                byPath.TryAdd(file.LogicalPath, (image, file));
            }
        }
    }

    private void CheckMethodSpecific(ImageDefinition image)
    {
        if (image.ProvMethod == "install")
        {
            if (image.Excludes.Count > 0)
            {
                _problems.Add(new RecipeProblem(image.At, $"image '{image.Name}': excludes apply to netboot and statelite images only."));
            }

            if (image.Postinstall.Count > 0)
            {
                _problems.Add(new RecipeProblem(image.At, $"image '{image.Name}': postinstall applies to netboot and statelite images only; use postscripts."));
            }
        }
        else if (image.TemplateFile is not null)
        {
            _problems.Add(new RecipeProblem(image.TemplateAt, $"image '{image.Name}': a template applies to install images only."));
        }
    }

    private string? DefaultPackageDirectory(ImageDefinition image, Distribution distribution)
    {
        if (distribution.Platform is "debian")
        {
            // The Debian bootstrap needs a mirror and a suite; there is no copycds tree to fall back on.
            _problems.Add(new RecipeProblem(
                image.At,
                $"image '{image.Name}': Debian images need .Repository(\"<mirror> <suite> <components>\"), e.g. \"http://deb.debian.org/debian bookworm main\"."));
            return null;
        }

        // The copycds tree, genimage's own default (xcat-spec §3.3); Ubuntu's genimage, finding no mirror URL in it,
        // falls back on site.ubuntu_apt_mirror (§3.4).
        return $"{_installDir}/{image.OsVers}/{image.OsArch}";
    }

    private static List<KeyValuePair<string, string?>> Row(TableSchema table, Dictionary<string, string?> values) =>
        [.. table.Columns.Where(values.ContainsKey).Select(c => new KeyValuePair<string, string?>(c, values[c]))];

    private static string? Join(IReadOnlyList<string> items) => items.Count == 0 ? null : string.Join(',', items);
}
