using XcatImageBuild.Lists;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Lists;

public sealed class PackageListTests
{
    [Fact]
    public void Full_line_comments_and_blank_lines_are_skipped_but_a_trailing_hash_is_part_of_the_name()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "# base system\n\n   # indented comment\nbash  \nvim # editor\n");

        var list = PackageList.Load("/install/custom/netboot/rh/compute.pkglist", site.Map);

        Assert.Equal(["bash", "vim # editor"], Assert.Single(list.Passes).Install);
    }

    [Fact]
    public void Items_on_one_line_are_separated_by_commas()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "bash,coreutils\nchrony\n");

        var list = PackageList.Load("/install/custom/netboot/rh/compute.pkglist", site.Map);

        Assert.Equal(["bash", "coreutils", "chrony"], Assert.Single(list.Passes).Install);
    }

    [Fact]
    public void Includes_are_expanded_in_place_recursively_relative_to_the_named_list_directory()
    {
        // Given: xCAT's shipped layout, compute includes a base list, which includes a list next to compute
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "kernel\n#INCLUDE:common/base.pkglist#\nchrony\n");
        site.WriteFile("/install/custom/netboot/rh/common/base.pkglist", "bash\n#INCLUDE:extra.pkglist#\n");
        site.WriteFile("/install/custom/netboot/rh/extra.pkglist", "# extras\nrsync\n");

        // When
        var list = PackageList.Load("/install/custom/netboot/rh/compute.pkglist", site.Map);

        // Then: nested includes resolve against the directory of the list named in the table, as imgutils does
        Assert.Equal(["kernel", "bash", "rsync", "chrony"], Assert.Single(list.Passes).Install);
        Assert.Equal(
            ["/install/custom/netboot/rh/compute.pkglist", "/install/custom/netboot/rh/common/base.pkglist", "/install/custom/netboot/rh/extra.pkglist"],
            list.Files);
        Assert.Equal("/install/custom/netboot/rh/extra.pkglist", list.Entries.Single(e => e.Value == "rsync").SourceFile);
    }

    [Fact]
    public void Include_paths_expand_environment_variables_in_both_forms()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "#INCLUDE:${LISTS}/a.pkglist#\n#INCLUDE:$LISTS/b.pkglist#\n#INCLUDE:/opt/$UNSET/c#\n");
        site.WriteFile("/srv/lists/a.pkglist", "bash\n");
        site.WriteFile("/srv/lists/b.pkglist", "rsync\n");
        var environment = new Dictionary<string, string> { ["LISTS"] = "/srv/lists" };

        var error = Assert.Throws<XcatException>(() => PackageList.Load("/install/custom/netboot/rh/compute.pkglist", site.Map, environment));

        // Then: the two known variables resolved; the unknown one stayed as written and names the bad include
        Assert.Equal("Unable to open the following pkglist files:\n/opt/$UNSET/c", error.Message);
    }

    [Fact]
    public void Every_unreadable_include_is_reported_at_once()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/compute.pkglist", "bash\n#INCLUDE:missing1.pkglist#\n#NEW_INSTALL_LIST#\n#INCLUDE:/install/missing2.pkglist#\n");

        var error = Assert.Throws<XcatException>(() => PackageList.Load("/install/custom/netboot/rh/compute.pkglist", site.Map));

        Assert.Equal(
            "Unable to open the following pkglist files:\n/install/custom/netboot/rh/missing1.pkglist\n/install/missing2.pkglist",
            error.Message);
    }

    [Fact]
    public void A_named_list_that_does_not_exist_gives_genimage_message_for_the_attribute()
    {
        using var site = new TempSite();
        site.WriteFile("/install/custom/netboot/rh/a.pkglist", "bash\n");

        var error = Assert.Throws<XcatException>(() => PackageList.Load(
            "/install/custom/netboot/rh/a.pkglist,/install/custom/netboot/rh/gone.otherpkgs.pkglist", site.Map, attribute: "otherpkglist"));

        Assert.Equal("The otherpkglist specified '/install/custom/netboot/rh/gone.otherpkgs.pkglist' does not exist!", error.Message);
    }

    [Fact]
    public void An_include_loop_is_an_error_instead_of_endless_expansion()
    {
        using var site = new TempSite();
        site.WriteFile("/l/a.pkglist", "bash\n#INCLUDE:b.pkglist#\n");
        site.WriteFile("/l/b.pkglist", "#INCLUDE:a.pkglist#\n");

        var error = Assert.Throws<XcatException>(() => PackageList.Load("/l/a.pkglist", site.Map));

        Assert.Equal("The pkglist /l/a.pkglist includes itself: /l/a.pkglist -> /l/b.pkglist -> /l/a.pkglist.", error.Message);
    }

    [Fact]
    public void New_install_list_starts_numbered_passes_with_their_own_environment_and_removals()
    {
        // Given: an otherpkgs list in the form xCAT's documentation shows
        using var site = new TempSite();
        site.WriteFile(
            "/install/custom/netboot/rh/compute.otherpkgs.pkglist",
            "#ENV:FOO=bar#\nxcat/xcat-core/xCATsn\n-firewalld\n--postremoved\n#NEW_INSTALL_LIST#\n#ENV:ACCEPT_EULA=yes#\n@Development Tools\nepel/htop\nlocal\n");

        // When
        var list = PackageList.Load("/install/custom/netboot/rh/compute.otherpkgs.pkglist", site.Map);

        // Then
        Assert.Equal([1, 2], list.Passes.Select(p => p.Number));
        var first = list.Passes[0];
        Assert.Equal(["FOO=bar"], first.Environment);
        Assert.Equal(["firewalld"], first.PreRemove);
        Assert.Equal(["postremoved"], first.PostRemove);
        Assert.Equal(["xCATsn"], first.ByDirectory["xcat/xcat-core"]);
        var second = list.Passes[1];
        Assert.Equal(["ACCEPT_EULA=yes"], second.Environment);
        Assert.Equal(["@Development Tools", "htop", "local"], second.Install);
        Assert.Equal(["htop"], second.ByDirectory["epel"]);
        Assert.Equal(["@Development Tools", "local"], second.ByDirectory["."]);
        Assert.True(list.Entries.Single(e => e.Value == "@Development Tools").IsGroup);
    }

    [Fact]
    public void A_pass_marker_inside_an_include_advances_the_including_list()
    {
        using var site = new TempSite();
        site.WriteFile("/l/main.pkglist", "a\n#INCLUDE:two-passes.pkglist#\nc\n");
        site.WriteFile("/l/two-passes.pkglist", "b\n#NEW_INSTALL_LIST#\n");

        var list = PackageList.Load("/l/main.pkglist", site.Map);

        Assert.Equal(["a", "b"], list.Passes[0].Install);
        Assert.Equal(["c"], list.Passes[1].Install);
    }

    [Fact]
    public void Each_named_list_counts_passes_from_one_so_their_passes_merge_by_number()
    {
        using var site = new TempSite();
        site.WriteFile("/l/a.pkglist", "a1\n#NEW_INSTALL_LIST#\na2\n");
        site.WriteFile("/l/b.pkglist", "b1\n");

        var list = PackageList.Load("/l/a.pkglist, /l/b.pkglist", site.Map);

        Assert.Equal(["a1", "b1"], list.Passes[0].Install);
        Assert.Equal(["a2"], list.Passes[1].Install);
    }

    [Fact]
    public void Removal_of_a_package_with_a_directory_keeps_only_its_name()
    {
        using var site = new TempSite();
        site.WriteFile("/l/a.pkglist", "-repo/old\n--repo/temp\n");

        var pass = Assert.Single(PackageList.Load("/l/a.pkglist", site.Map).Passes);

        Assert.Equal(["old"], pass.PreRemove);
        Assert.Equal(["temp"], pass.PostRemove);
        Assert.Empty(pass.Install);
    }

    [Fact]
    public void Entries_write_back_as_the_list_lines_they_came_from()
    {
        using var site = new TempSite();
        const string text = "#ENV:A=1#\nbash\nepel/htop\n-old\n--temp\n#NEW_INSTALL_LIST#\n@Core\n";
        site.WriteFile("/l/a.pkglist", text);

        var list = PackageList.Load("/l/a.pkglist", site.Map);

        Assert.Equal(text, string.Concat(list.Entries.Select(e => e.ToListLine() + "\n")));
    }
}
