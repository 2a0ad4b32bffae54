using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Recipes;

public sealed class RecipeErrorTests
{
    [Fact]
    public void A_compile_error_names_the_file_line_column_and_compiler_message()
    {
        // Given: a mistake in the recipe and another in the script it loads
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("lib/common.csx", "ImageBuilder Base(ImageBuilder i) => i.Pakages(\"bash\");\n");
        var recipe = directory.Write("broken.csx", "#load \"lib/common.csx\"\nImage(\"a\")\n    .Netboot()\n    .Os(\"rocky9.4\");\n");

        // When
        var result = RecipeTesting.Run(site, "recipe", "show", recipe);

        // Then
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            "Error: broken.csx:4:6: error CS7036: There is no argument given that corresponds to the required parameter 'osarch' of 'ImageBuilder.Os(string, string)'\n" +
            "Error: lib/common.csx:1:40: error CS1061: 'ImageBuilder' does not contain a definition for 'Pakages' and no accessible extension method 'Pakages' accepting a first argument of type 'ImageBuilder' could be found (are you missing a using directive or an assembly reference?)\n",
            result.Error);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public void A_recipe_with_problems_is_named_as_the_user_named_it_from_the_cli_working_directory()
    {
        // Given: a recipe with a problem, named relative to the working directory the command line ran in
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("sub/bad.csx", "Image(\"a\").Netboot().Os(\"plan9\", \"x86_64\").Profile(\"compute\");\n");
        var environment = RecipeTesting.Environment with { WorkingDirectory = directory.Path };

        // When
        var result = site.Run(environment, "recipe", "apply", "sub/bad.csx");

        // Then the first line names it as given, not as a path from the test process's own directory
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: The recipe sub/bad.csx has 1 problem(s); nothing was written:\n", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_reports_every_problem_at_once_and_apply_writes_nothing()
    {
        // Given: one recipe with five different mistakes
        using var site = new TempSite();
        var script = site.WriteFile("/install/custom/netboot/rh/tune.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("bad.csx", """
            Image("rhels9.4-x86_64-netboot-compute")
                .Netboot().Profile("compute")
                .PackagesFrom("lists/missing.pkglist");
            Image("rhels9.4-x86_64-netboot-compute")
                .ProvMethod("diskless").Os("rhels9.4", "x86_64").Profile("compute")
                .PostinstallScript("/install/custom/netboot/rh/tune.sh");
            """);
        var before = RecipeTesting.Snapshot(site.Directory);

        // When
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: The recipe {recipe} has 6 problem(s); nothing was written:\n" +
            "Error: bad.csx:4: image 'rhels9.4-x86_64-netboot-compute' is defined twice (first at bad.csx:1).\n" +
            "Error: bad.csx:1: image 'rhels9.4-x86_64-netboot-compute': osvers is not set; call .Os(\"<osvers>\", \"<arch>\").\n" +
            "Error: bad.csx:1: image 'rhels9.4-x86_64-netboot-compute': osarch is not set; call .Os(\"<osvers>\", \"<arch>\").\n" +
            $"Error: bad.csx:3: image 'rhels9.4-x86_64-netboot-compute': The pkglist specified '{directory.Path}/lists/missing.pkglist' does not exist!\n" +
            "Error: bad.csx:4: image 'rhels9.4-x86_64-netboot-compute': unknown provmethod 'diskless'; use netboot, statelite, install.\n" +
            "Error: bad.csx:4: image 'rhels9.4-x86_64-netboot-compute': the postinstall script /install/custom/netboot/rh/tune.sh is not executable.\n",
            result.Error);
        Assert.Equal(before, RecipeTesting.Snapshot(site.Directory));
        Assert.Equal(
            "#imagename,groups,profile,imagetype,description,provmethod,rootfstype,osdistroname,osupdatename,cfmdir,osname,osvers,osarch,synclists,postscripts,postbootscripts,serverrole,isdeletable,kitcomponents,environvar,comments,disable\n",
            site.Run("tabdump", "osimage").Output);
    }

    [Fact]
    public void A_missing_include_inside_a_recipe_list_names_every_bad_file()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("base.pkglist", "bash\n#INCLUDE:gone1.pkglist#\n#INCLUDE:/nowhere/gone2.pkglist#\n");
        var recipe = directory.Write("r.csx", """
            Image("rocky9.4-x86_64-netboot-compute").Netboot().Os("rocky9.4", "x86_64").Profile("compute")
                .PackagesFrom("base.pkglist");
            """);

        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"Error: r.csx:2: image 'rocky9.4-x86_64-netboot-compute': Unable to open the following pkglist files: {directory.Path}/gone1.pkglist /nowhere/gone2.pkglist\n",
            result.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Two_images_that_would_write_one_file_differently_are_refused()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("r.csx", """
            Image("rocky9.4-x86_64-netboot-compute").Netboot().Os("rocky9.4", "x86_64").Profile("compute").Packages("bash");
            Image("rocky9.4-x86_64-statelite-compute").Statelite().Os("rocky9.4", "x86_64").Profile("compute").Packages("zsh");
            """);

        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            "Error: r.csx:2: image 'rocky9.4-x86_64-statelite-compute' and image 'rocky9.4-x86_64-netboot-compute' both generate /install/custom/netboot/rocky/compute.rocky9.4.x86_64.pkglist with different content; give them different profiles.\n",
            result.Error,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_that_throws_names_the_recipe_and_the_exception()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("r.csx", "var lists = new Dictionary<string, string>();\nImage(lists[\"compute\"]);\n");

        var result = RecipeTesting.Run(site, "recipe", "show", recipe);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: The recipe {recipe} failed while running: KeyNotFoundException: The given key 'compute' was not present in the dictionary.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recipe_file_that_does_not_exist_is_named()
    {
        using var site = new TempSite();

        var result = RecipeTesting.Run(site, "recipe", "show", "/nonexistent/r.csx");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: The recipe file /nonexistent/r.csx does not exist.\n", result.Error);
    }

    [Fact]
    public void An_unknown_template_value_is_a_problem_not_an_empty_string()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("my.tmpl", "rack {{values.rack}}\n");
        var recipe = directory.Write("r.csx", """
            Image("rocky9.4-x86_64-install-compute").Install().Os("rocky9.4", "x86_64").Profile("compute").Template("my.tmpl");
            """);

        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Error: r.csx:1: image 'rocky9.4-x86_64-install-compute': The install template my.tmpl cannot be rendered:", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(site.Map("/install/custom")));
    }
}
