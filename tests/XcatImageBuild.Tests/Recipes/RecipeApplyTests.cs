using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Recipes;

public sealed class RecipeApplyTests
{
    private const string Minimal = """
        Image("rocky9.4-x86_64-netboot-compute")
            .Netboot().Os("rocky9.4", "x86_64").Profile("compute")
            .Packages("bash", "kernel")
            .Postinstall("touch \"$1/etc/marker\"")
            .KernelVersion("5.14.0-427.el9.x86_64");
        """;

    [Fact]
    public void Reapplying_an_unchanged_recipe_changes_no_row_no_byte_and_no_mtime()
    {
        // Given: the recipe applied once
        using var site = new TempSite();
        site.WriteFile("/install/files/chrony.conf", "server ntp.cluster iburst\n");
        var recipe = Path.Combine(RecipeTesting.ExamplesDirectory, "rocky9-netboot-compute.csx");
        Assert.Equal(0, RecipeTesting.Run(site, "recipe", "apply", recipe).ExitCode);
        var files = RecipeTesting.Snapshot(site.Map("/install"));
        var rows = (site.Run("tabdump", "osimage").Output, site.Run("tabdump", "linuximage").Output);
        Thread.Sleep(20);

        // When: applied again
        var again = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then: every file and the rows report unchanged and are byte- and time-identical
        Assert.Equal(0, again.ExitCode);
        Assert.All(again.Output.TrimEnd('\n').Split('\n'), line => Assert.EndsWith(": unchanged", line, StringComparison.Ordinal));
        Assert.Equal(files, RecipeTesting.Snapshot(site.Map("/install")));
        Assert.Equal(rows, (site.Run("tabdump", "osimage").Output, site.Run("tabdump", "linuximage").Output));
    }

    [Fact]
    public void A_changed_recipe_rewrites_only_what_changed_and_clears_a_column_it_no_longer_sets()
    {
        // Given
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("compute.csx", Minimal);
        RecipeTesting.Run(site, "recipe", "apply", recipe);
        var postinstall = site.Map("/install/custom/netboot/rocky/compute.rocky9.4.x86_64.postinstall");
        var postinstallTime = File.GetLastWriteTimeUtc(postinstall);

        // When: a package is added and the kernel pin removed
        directory.Write("compute.csx", Minimal.Replace("\"bash\", \"kernel\"", "\"bash\", \"kernel\", \"chrony\"", StringComparison.Ordinal)
            .Replace("\n    .KernelVersion(\"5.14.0-427.el9.x86_64\")", string.Empty, StringComparison.Ordinal));
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(
            "/install/custom/netboot/rocky/compute.rocky9.4.x86_64.pkglist: changed\n" +
            "/install/custom/netboot/rocky/compute.rocky9.4.x86_64.postinstall: unchanged\n" +
            "osimage rocky9.4-x86_64-netboot-compute: changed\n",
            result.Output);
        Assert.EndsWith("bash\nkernel\nchrony\n", File.ReadAllText(site.Map("/install/custom/netboot/rocky/compute.rocky9.4.x86_64.pkglist")), StringComparison.Ordinal);
        Assert.Equal(postinstallTime, File.GetLastWriteTimeUtc(postinstall));
        Assert.Null(site.Site.Database.Find(XcatSchema.LinuxImage, "rocky9.4-x86_64-netboot-compute")!["kernelver"]);
    }

    [Fact]
    public void Apply_keeps_columns_the_recipe_does_not_own_when_it_rewrites_the_rows()
    {
        // Given: the recipe applied, then a column it does not own set by hand
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("compute.csx", Minimal);
        Assert.Equal(0, RecipeTesting.Run(site, "recipe", "apply", recipe).ExitCode);
        site.Site.Database.Write(s =>
        {
            s.Set(XcatSchema.LinuxImage, ["rocky9.4-x86_64-netboot-compute"], new Dictionary<string, string?> { ["krpmver"] = "5.14.0" });
            return 0;
        });

        // When: the recipe changes a column it owns, so its rows are written again
        directory.Write("compute.csx", Minimal.Replace("5.14.0-427.el9.x86_64", "5.14.0-503.el9.x86_64", StringComparison.Ordinal));
        var again = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then: the owned column changed and the hand-set one is still there
        Assert.Contains("osimage rocky9.4-x86_64-netboot-compute: changed\n", again.Output, StringComparison.Ordinal);
        var row = site.Site.Database.Find(XcatSchema.LinuxImage, "rocky9.4-x86_64-netboot-compute")!;
        Assert.Equal("5.14.0-503.el9.x86_64", row["kernelver"]);
        Assert.Equal("5.14.0", row["krpmver"]);
    }

    [Fact]
    public void Inline_postinstall_becomes_an_executable_script_and_file_steps_keep_their_arguments_in_order()
    {
        // Given: an executable already in the site, used before and after the inline text
        using var site = new TempSite();
        var tune = site.WriteFile("/install/custom/netboot/rh/tune.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(tune, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("c.csx", """
            Image("rhels9.4-x86_64-netboot-compute").Netboot().Os("rhels9.4", "x86_64").Profile("compute")
                .PostinstallScript("/install/custom/netboot/rh/tune.sh", "hpc", "fast")
                .Postinstall("echo one > \"$1/etc/one\"")
                .Postinstall("echo two > \"$1/etc/two\"");
            """);

        // When
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(0, result.ExitCode);
        const string generated = "/install/custom/netboot/rh/compute.rhels9.4.x86_64.postinstall";
        Assert.Equal(
            $"/install/custom/netboot/rh/tune.sh hpc fast,{generated}",
            site.Site.Database.Find(XcatSchema.LinuxImage, "rhels9.4-x86_64-netboot-compute")!["postinstall"]);
        Assert.EndsWith("set -e\necho one > \"$1/etc/one\"\necho two > \"$1/etc/two\"\n", File.ReadAllText(site.Map(generated)), StringComparison.Ordinal);
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute,
            File.GetUnixFileMode(site.Map(generated)));
    }

    [Fact]
    public void Several_images_in_one_recipe_share_fragments_through_plain_csharp()
    {
        // Given: a loop over two profiles and a loaded fragment in a subdirectory with its own relative list
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("shared/base.csx", "ImageBuilder Base(ImageBuilder i) => i.PackagesFrom(\"base.pkglist\");\n");
        directory.Write("shared/base.pkglist", "bash\n#INCLUDE:more.pkglist#\n");
        directory.Write("shared/more.pkglist", "rsync\n");
        var recipe = directory.Write("cluster.csx", """
            #load "shared/base.csx"
            foreach (var profile in new[] { "compute", "login" })
            {
                Image($"alma9.3-x86_64-netboot-{profile}").Netboot().Os("alma9.3", "x86_64").Profile(profile).With(Base);
            }
            """);

        // When
        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        // Then
        Assert.Equal(0, result.ExitCode);
        foreach (var profile in new[] { "compute", "login" })
        {
            var list = File.ReadAllText(site.Map($"/install/custom/netboot/alma/{profile}.alma9.3.x86_64.pkglist"));
            Assert.EndsWith("# from shared/base.pkglist\nbash\nrsync\n", list, StringComparison.Ordinal);
            Assert.NotNull(site.Site.Database.Find(XcatSchema.OsImage, $"alma9.3-x86_64-netboot-{profile}"));
        }
    }

    [Fact]
    public void Sync_lines_and_a_synclist_file_are_written_section_by_section()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("extra.synclist", "/install/f/a -> /etc/a\nAPPEND:\n/install/f/hosts.add -> /etc/hosts\nEXECUTE:\n/install/f/a.post\n");
        var recipe = directory.Write("c.csx", """
            Image("rocky9.4-x86_64-netboot-compute").Netboot().Os("rocky9.4", "x86_64").Profile("compute")
                .SyncFrom("extra.synclist")
                .Sync("/install/f/b1 /install/f/b2", "/etc/b/");
            """);

        var result = RecipeTesting.Run(site, "recipe", "show", "--json", recipe);

        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var file = json.RootElement.GetProperty("images")[0].GetProperty("files").EnumerateArray().Single(f => f.GetProperty("purpose").GetString() == "synclists");
        Assert.EndsWith(
            "\n/install/f/a -> /etc/a\n/install/f/b1 /install/f/b2 -> /etc/b/\nAPPEND:\n/install/f/hosts.add -> /etc/hosts\nEXECUTE:\n/install/f/a.post\n",
            file.GetProperty("content").GetString(),
            StringComparison.Ordinal);
        Assert.Contains("the source /install/f/a does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_install_template_keeps_xcat_directives_and_renders_recipe_values()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        directory.Write("my.tmpl", "# {{name}} {{values.rack}}\n#TABLE:site:key=master:value#\n#INCLUDE_DEFAULTPKGLIST#\n");
        var recipe = directory.Write("c.csx", """
            Image("rocky9.4-x86_64-install-compute").Install().Os("rocky9.4", "x86_64").Profile("compute")
                .Template("my.tmpl").TemplateValue("rack", "r12");
            """);

        var result = RecipeTesting.Run(site, "recipe", "apply", recipe);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "# rocky9.4-x86_64-install-compute r12\n#TABLE:site:key=master:value#\n#INCLUDE_DEFAULTPKGLIST#\n",
            File.ReadAllText(site.Map("/install/custom/install/rocky/compute.rocky9.4.x86_64.tmpl")));
    }

    [Fact]
    public void The_shipped_kickstart_keeps_every_xcat_directive()
    {
        using var site = new TempSite();
        using var directory = RecipeTesting.NewRecipeDirectory();
        var recipe = directory.Write("c.csx", """
            Image("rhels9.4-x86_64-install-compute").Install().Os("rhels9.4", "x86_64").Profile("compute").KernelArguments("quiet");
            """);

        RecipeTesting.Run(site, "recipe", "apply", recipe);

        var kickstart = File.ReadAllText(site.Map("/install/custom/install/rh/compute.rhels9.4.x86_64.tmpl"));
        Assert.Contains("bootloader --append=\"quiet\"\n", kickstart, StringComparison.Ordinal);
        foreach (var directive in new[] { "#INSTALL_SOURCES#", "#TABLE:site:key=timezone:value#", "#CRYPT:passwd:key=system,username=root:password#", "#INCLUDE_DEFAULTPKGLIST#", "#INCLUDE:#ENV:XCATROOT#/share/xcat/install/scripts/post.xcat#" })
        {
            Assert.Contains(directive, kickstart, StringComparison.Ordinal);
        }
    }
}
