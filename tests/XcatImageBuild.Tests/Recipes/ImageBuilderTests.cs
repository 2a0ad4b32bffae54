using XcatImageBuild.Recipes;
using XcatImageBuild.Site;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Recipes;

public sealed class ImageBuilderTests
{
    private static readonly string[] OsImageColumns =
        ["groups", "profile", "imagetype", "description", "provmethod", "osname", "osvers", "osarch", "synclists", "postscripts", "postbootscripts", "environvar"];

    private static readonly string[] LinuxImageColumns =
        ["addkcmdline", "pkglist", "pkgdir", "otherpkglist", "otherpkgdir", "exlist", "rootimgdir", "netdrivers", "kernelver", "permission"];

    [Fact]
    public void Every_attribute_a_recipe_sets_lands_in_its_column()
    {
        // Given: a recipe that sets every column a recipe owns
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("all.csx", """
            Image("rocky9.4-x86_64-statelite-compute")
                .Statelite().Os("rocky9.4", "x86_64").Profile("compute")
                .Describe("every column").Groups("compute", "all")
                .Repository("/install/rocky9.4/x86_64/BaseOS").Repository("/install/rocky9.4/x86_64/AppStream")
                .Packages("bash").OtherRepository("https://repo.example/el9").OtherPackages("htop")
                .Exclude("./usr/share/man*").Sync("/install/f/a", "/etc/a")
                .Postscripts("syslog").Postbootscripts("otherpkgs")
                .Environment("http_proxy", "http://proxy:3128").Environment("LANG", "C")
                .NetDrivers("virtio_net", "igb").KernelVersion("5.14.0-427.el9.x86_64")
                .KernelArguments("quiet").Permission("700").RootImageDirectory("/install/netboot/custom-root");
            """);

        // When
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(0, result.ExitCode);
        var os = site.Site.Database.Find(XcatSchema.OsImage, "rocky9.4-x86_64-statelite-compute")!;
        var linux = site.Site.Database.Find(XcatSchema.LinuxImage, "rocky9.4-x86_64-statelite-compute")!;
        const string stem = "/install/custom/netboot/rocky/compute.rocky9.4.x86_64";
        Assert.Equal(
            ["compute,all", "compute", "linux", "every column", "statelite", "Linux", "rocky9.4", "x86_64", $"{stem}.synclist", "syslog", "otherpkgs", "http_proxy=http://proxy:3128,LANG=C"],
            OsImageColumns.Select(c => os[c]));
        Assert.Equal(
            ["quiet", $"{stem}.pkglist", "/install/rocky9.4/x86_64/BaseOS,/install/rocky9.4/x86_64/AppStream", $"{stem}.otherpkgs.pkglist", "https://repo.example/el9", $"{stem}.exlist", "/install/netboot/custom-root", "virtio_net,igb", "5.14.0-427.el9.x86_64", "700"],
            LinuxImageColumns.Select(c => linux[c]));
        Assert.Null(linux["template"]);
        Assert.Null(linux["postinstall"]);
    }

    [Fact]
    public void Empty_values_and_bad_names_are_collected_as_problems_with_the_image_line()
    {
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("r.csx", """
            var x = 1;
            Image("rocky9.4-x86_64-netboot-compute").Netboot().Os("rocky9.4", "x86_64").Profile("compute")
                .Packages("bash", "").Environment("A=B", "c").Exclude("./a#b");
            """);
        var evaluation = new RecipeEvaluator(RecipeTesting.Cache).Evaluate(recipe);

        var plan = new RecipePlanner(new SiteRoot(directory.Path), "/install").Plan(evaluation);

        Assert.Equal(
            [
                "r.csx:2: image 'rocky9.4-x86_64-netboot-compute': A list item must be one non-empty line: ''.",
                "r.csx:2: image 'rocky9.4-x86_64-netboot-compute': Environment variable name 'A=B' is not a valid name.",
                "r.csx:2: image 'rocky9.4-x86_64-netboot-compute': the exclude pattern './a#b' contains '#', which an exlist treats as a comment.",
            ],
            plan.Problems.Select(p => p.Describe(directory.Path)));
    }

    [Fact]
    public void Show_of_a_recipe_with_problems_prints_what_it_can_and_fails()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("r.csx", """
            Image("good-image").Netboot().Os("rocky9.4", "x86_64").Profile("compute");
            Image("bad-image").Netboot().Os("plan9", "x86_64").Profile("compute");
            """);

        var result = RecipeTesting.Run(site, "recipe", "show", recipe);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("image good-image (r.csx:1): rows new\n", result.Output, StringComparison.Ordinal);
        Assert.Contains("Error: r.csx:2: image 'bad-image': osvers 'plan9' names no xCAT platform", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Sle_and_leap_images_apply_into_the_sles_directory_and_an_opensuse_leap_name_is_refused_as_genimage_refuses_it()
    {
        // Given: the names copycds gives SLE 15 and Leap 15 media, and a name xCAT never gives
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("suse.csx", """
            Image("sle15.5-x86_64-netboot-compute").Netboot().Os("sle15.5", "x86_64").Profile("compute").Packages("bash");
            Image("leap15.5-x86_64-netboot-compute").Netboot().Os("leap15.5", "x86_64").Profile("compute").Packages("bash");
            """);
        var refused = directory.Write("opensuse.csx", """
            Image("opensuse-leap15.5-x86_64-netboot-compute").Netboot().Os("opensuse-leap15.5", "x86_64").Profile("compute").Packages("bash");
            """);

        // When both are applied
        var applied = RecipeTesting.Run(site, "recipe", "apply", recipe);
        var failed = RecipeTesting.Run(site, "recipe", "apply", refused);

        // Then the SUSE images' lists are under custom/netboot/sles, and the other name is an error naming it
        Assert.Equal(0, applied.ExitCode);
        Assert.Equal("/install/custom/netboot/sles/compute.sle15.5.x86_64.pkglist", site.Site.Database.Find(XcatSchema.LinuxImage, "sle15.5-x86_64-netboot-compute")!["pkglist"]);
        Assert.Equal("/install/custom/netboot/sles/compute.leap15.5.x86_64.pkglist", site.Site.Database.Find(XcatSchema.LinuxImage, "leap15.5-x86_64-netboot-compute")!["pkglist"]);
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("osvers 'opensuse-leap15.5' names no xCAT platform; it must start with one of rh, centos", failed.Error, StringComparison.Ordinal);
        Assert.Null(site.Site.Database.Find(XcatSchema.OsImage, "opensuse-leap15.5-x86_64-netboot-compute"));
    }
}
