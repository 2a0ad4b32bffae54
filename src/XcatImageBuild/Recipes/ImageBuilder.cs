using System.Runtime.CompilerServices;

namespace XcatImageBuild.Recipes;

/// <summary>
/// The fluent description of one osimage that a recipe writes after <c>Image("name")</c>. Each call adds to the
/// definition and returns the builder, so a recipe reads top to bottom like the image it describes. Nothing is
/// checked or written here: mistakes are collected and reported together when the recipe is validated.
/// </summary>
public sealed class ImageBuilder
{
    private readonly ImageDefinition _image;

    internal ImageBuilder(ImageDefinition image)
    {
        _image = image;
    }

    /// <summary>A diskless image that boots from a RAM root (provmethod <c>netboot</c>).</summary>
    public ImageBuilder Netboot() => ProvMethod("netboot");

    /// <summary>A diskless image with persistent files on NFS (provmethod <c>statelite</c>).</summary>
    public ImageBuilder Statelite() => ProvMethod("statelite");

    /// <summary>A diskful image installed by the distribution's installer from a template (provmethod <c>install</c>).</summary>
    public ImageBuilder Install() => ProvMethod("install");

    /// <summary>Sets osimage.provmethod directly; the recipe is refused unless it is netboot, statelite or install.</summary>
    public ImageBuilder ProvMethod(string provmethod)
    {
        _image.ProvMethod = provmethod;
        return this;
    }

    /// <summary>The operating system release and architecture (osimage.osvers, osimage.osarch), e.g. <c>rocky9.4</c>, <c>x86_64</c>.</summary>
    public ImageBuilder Os(string osvers, string osarch)
    {
        _image.OsVers = osvers;
        _image.OsArch = osarch;
        return this;
    }

    /// <summary>osimage.profile: names the generated list files and the default root image directory.</summary>
    public ImageBuilder Profile(string profile)
    {
        _image.Profile = profile;
        return this;
    }

    /// <summary>osimage.description.</summary>
    public ImageBuilder Describe(string description)
    {
        _image.Description = description;
        return this;
    }

    /// <summary>Adds to osimage.groups.</summary>
    public ImageBuilder Groups(params string[] groups) => AddAll(_image.GroupList, groups);

    /// <summary>
    /// Adds an item to linuximage.pkgdir: a local repository path (<c>/install/rocky9.4/x86_64</c>), a URL, or for Debian
    /// and Ubuntu <c>"http://deb.debian.org/debian bookworm main"</c> (mirror, suite, components).
    /// </summary>
    public ImageBuilder Repository(string item) => AddAll(_image.RepositoryList, [item]);

    /// <summary>
    /// Adds items to the pkglist. Items are xCAT pkglist items: a package, <c>@group</c>, <c>-pkg</c> (remove before),
    /// <c>--pkg</c> (remove after), <c>#ENV:K=V#</c>.
    /// </summary>
    public ImageBuilder Packages(params string[] items) => AddItems(_image.PackageList, items);

    /// <summary>Starts the next install pass (<c>#NEW_INSTALL_LIST#</c>) with these packages.</summary>
    public ImageBuilder ThenPackages(params string[] items) => AddItems(_image.PackageList, ["#NEW_INSTALL_LIST#", .. items]);

    /// <summary>Expands a pkglist file (relative to this script) into the pkglist, includes resolved.</summary>
    public ImageBuilder PackagesFrom(string file, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0) =>
        AddFile(_image.PackageList, file, script, line);

    /// <summary>Adds an item to linuximage.otherpkgdir (a local directory or a URL).</summary>
    public ImageBuilder OtherRepository(string item) => AddAll(_image.OtherRepositoryList, [item]);

    /// <summary>Adds items to the otherpkgs list; <c>dir/pkg</c> takes pkg from the repository subdirectory dir.</summary>
    public ImageBuilder OtherPackages(params string[] items) => AddItems(_image.OtherPackageList, items);

    /// <summary>Starts the next other-packages pass (<c>#NEW_INSTALL_LIST#</c>) with these items.</summary>
    public ImageBuilder ThenOtherPackages(params string[] items) => AddItems(_image.OtherPackageList, ["#NEW_INSTALL_LIST#", .. items]);

    /// <summary>Expands an otherpkgs list file (relative to this script) into the otherpkgs list.</summary>
    public ImageBuilder OtherPackagesFrom(string file, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0) =>
        AddFile(_image.OtherPackageList, file, script, line);

    /// <summary>Leaves paths out of the packed image: <c>find -path</c> globs such as <c>./usr/share/man*</c>.</summary>
    public ImageBuilder Exclude(params string[] patterns) => AddItems(_image.ExcludeList, patterns);

    /// <summary>Keeps paths an exclude would drop (written <c>+pattern</c> in the exlist).</summary>
    public ImageBuilder Keep(params string[] patterns) => AddItems(_image.ExcludeList, [.. patterns.Select(p => "+" + p)]);

    /// <summary>Expands an exlist file (relative to this script) into the exlist.</summary>
    public ImageBuilder ExcludeFrom(string file, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0) =>
        AddFile(_image.ExcludeList, file, script, line);

    /// <summary>
    /// Shell text for the generated postinstall script, which genimage runs outside the image as
    /// <c>script &lt;rootimg&gt; &lt;osver&gt; &lt;arch&gt; &lt;profile&gt;</c>: <c>"$1"</c> is the image root.
    /// </summary>
    public ImageBuilder Postinstall(string script, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        _image.PostinstallList.Add(new PostinstallStep(script, null, [], new SourceLocation(file, line)));
        return this;
    }

    /// <summary>An executable already in the site (an absolute path) that genimage also runs, with extra arguments.</summary>
    public ImageBuilder PostinstallScript(string path, params string[] arguments)
    {
        _image.PostinstallList.Add(new PostinstallStep(null, path, [.. arguments], _image.At));
        return this;
    }

    /// <summary>Adds <c>source -&gt; destination</c> to the synclist.</summary>
    public ImageBuilder Sync(string source, string destination) => AddItems(_image.SyncList, [$"{source} -> {destination}"]);

    /// <summary>Expands a synclist file (relative to this script) into the synclist; its sections are kept.</summary>
    public ImageBuilder SyncFrom(string file, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0) =>
        AddFile(_image.SyncList, file, script, line);

    /// <summary>A file imgexport carries along (<c>-e source:destination</c>).</summary>
    public ImageBuilder Extra(string source, string destination)
    {
        _image.ExtraList.Add(new ExtraFile(source, destination));
        return this;
    }

    /// <summary>Adds to osimage.postscripts.</summary>
    public ImageBuilder Postscripts(params string[] scripts) => AddAll(_image.PostscriptList, scripts);

    /// <summary>Adds to osimage.postbootscripts.</summary>
    public ImageBuilder Postbootscripts(params string[] scripts) => AddAll(_image.PostbootscriptList, scripts);

    /// <summary>Adds <c>name=value</c> to osimage.environvar (set for genimage, packimage and the package manager).</summary>
    public ImageBuilder Environment(string name, string value)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Contains('=', StringComparison.Ordinal))
        {
            Mistake($"Environment variable name '{name}' is not a valid name.");
        }

        return AddAll(_image.EnvironmentList, [$"{name}={value}"]);
    }

    /// <summary>Adds to linuximage.netdrivers (kernel modules put into the initrd).</summary>
    public ImageBuilder NetDrivers(params string[] drivers) => AddAll(_image.NetDriverList, drivers);

    /// <summary>linuximage.kernelver: the kernel version the image boots.</summary>
    public ImageBuilder KernelVersion(string version)
    {
        _image.KernelVersion = version;
        return this;
    }

    /// <summary>linuximage.addkcmdline: extra kernel command line arguments.</summary>
    public ImageBuilder KernelArguments(string arguments)
    {
        _image.KernelArguments = arguments;
        return this;
    }

    /// <summary>linuximage.permission: the mode of the root image directory (xCAT's default 755).</summary>
    public ImageBuilder Permission(string mode)
    {
        _image.Permission = mode;
        return this;
    }

    /// <summary>linuximage.rootimgdir, a logical path; default <c>&lt;installdir&gt;/netboot/&lt;osvers&gt;/&lt;arch&gt;/&lt;profile&gt;</c>.</summary>
    public ImageBuilder RootImageDirectory(string path)
    {
        _image.RootImageDirectory = path;
        return this;
    }

    /// <summary>A Handlebars install template (relative to this script) instead of the shipped one for the platform.</summary>
    public ImageBuilder Template(string file, [CallerFilePath] string script = "", [CallerLineNumber] int line = 0)
    {
        _image.TemplateFile = Resolve(script, file);
        _image.TemplateAt = new SourceLocation(script, line);
        return this;
    }

    /// <summary>A value the install template can use as <c>{{values.name}}</c>.</summary>
    public ImageBuilder TemplateValue(string name, string value)
    {
        _image.TemplateValueMap[name] = value;
        return this;
    }

    /// <summary>Applies a shared fragment: <c>.With(ComputeBase)</c> where <c>ImageBuilder ComputeBase(ImageBuilder i) => ...</c>.</summary>
    public ImageBuilder With(Func<ImageBuilder, ImageBuilder> fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        return fragment(this);
    }

    /// <summary>Applies a shared fragment written as a statement lambda.</summary>
    public ImageBuilder With(Action<ImageBuilder> fragment)
    {
        ArgumentNullException.ThrowIfNull(fragment);
        fragment(this);
        return this;
    }

    private ImageBuilder AddAll(List<string> target, string[] values)
    {
        foreach (var value in values)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                Mistake("An empty value was given.");
                continue;
            }

            target.Add(value);
        }

        return this;
    }

    private ImageBuilder AddItems(List<RecipeListItem> target, string[] items)
    {
        var kept = new List<string>();
        foreach (var item in items)
        {
            if (string.IsNullOrWhiteSpace(item) || item.Contains('\n', StringComparison.Ordinal))
            {
                Mistake($"A list item must be one non-empty line: '{item}'.");
                continue;
            }

            kept.Add(item.Trim());
        }

        target.Add(RecipeListItem.Inline(_image.At, kept));
        return this;
    }

    private ImageBuilder AddFile(List<RecipeListItem> target, string file, string script, int line)
    {
        target.Add(RecipeListItem.FromFile(new SourceLocation(script, line), Resolve(script, file)));
        return this;
    }

    private static string Resolve(string script, string file) =>
        Path.IsPathRooted(file) ? file : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(script) ?? ".", file));

    private void Mistake(string message) => _image.MistakeList.Add(new RecipeProblem(_image.At, $"image '{_image.Name}': {message}"));
}
