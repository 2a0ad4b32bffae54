using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

/// <summary>The definition verbs as administrators script them: every flag xCAT's scripts use, and none guessed at.</summary>
public sealed class ScriptedDefinitionTests
{
    public static TheoryData<string[], string> UnknownFlags => new()
    {
        { ["lsdef", "-t", "site", "-V"], "Usage: lsdef" },
        { ["lsdef", "--osimage", "cn1"], "Usage: lsdef" },
        { ["mkdef", "-t", "osimage", "-o", "X", "-u", "profile=compute"], "Usage: mkdef" },
        { ["chdef", "-t", "node", "cn1", "-d", "os=x"], "Usage: chdef" },
        { ["rmdef", "-t", "node", "-d"], "Usage: rmdef" },
        { ["tabdump", "-x", "site"], "Usage: tabdump" },
        { ["tabdump", "-x"], "Usage: tabdump" },
        { ["chtab", "-x", "key=a", "site.value=b"], "Usage: chtab" },
        { ["lsdef", "-t"], "Usage: lsdef" },
    };

    [Theory]
    [MemberData(nameof(UnknownFlags))]
    public void An_unknown_flag_is_refused_with_the_verbs_usage_and_changes_nothing(string[] command, string usage)
    {
        // Given a site with a node
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "cn1", "groups=all").ExitCode);
        var before = SiteSnapshot.Take(site);

        // When a command carries a flag the verb does not take
        var result = site.Run(command);

        // Then it fails with an Error: line and the usage on stderr, prints nothing on stdout, and changes nothing
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(usage, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Lsdef_i_c_prints_one_name_attr_value_line_per_attribute_as_xcats_scripts_read_it()
    {
        using var site = new TempSite();
        site.Run("chdef", "-t", "site", "master=10.0.0.1");
        site.Run("mkdef", "-t", "node", "cn1,cn2", "groups=all", "os=rhels8");

        var master = site.Run("lsdef", "-t", "site", "-i", "master", "-c");
        var nodes = site.Run("lsdef", "-t", "node", "-i", "os,arch");

        // An asked-for node attribute shows even when empty; a site key shows only when set.
        Assert.Equal((0, "clustersite: master=10.0.0.1\n"), (master.ExitCode, master.Output));
        Assert.Equal("Object name: cn1\n    arch=\n    os=rhels8\nObject name: cn2\n    arch=\n    os=rhels8\n", nodes.Output);
        Assert.Equal("Error: The flags '-c' and '-i' must be used together.\n", site.Run("lsdef", "-c").Error);
        Assert.Contains("'kernel' is not a valid attribute name for an object type of 'osimage'.", site.Run("lsdef", "-t", "osimage", "-i", "kernel").Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cons==ipmi", "cn3,cn4")]
    [InlineData("cons=ipmi", "cn3,cn4")]
    [InlineData("cons!=ipmi", "cn1")]
    [InlineData("cons=~^ip", "cn3,cn4")]
    [InlineData("cons=~/^ip/", "cn3,cn4")]
    [InlineData("cons!~hmc", "cn3,cn4")]
    [InlineData("groups=~linux", "cn2,cn4")]
    public void Lsdef_w_selects_objects_as_xcat_does_and_an_object_without_the_attribute_never_matches(string condition, string expected)
    {
        // Given four nodes, three with a console method and one without
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all", "cons=hmc");
        site.Run("mkdef", "-t", "node", "cn2", "groups=linux");
        site.Run("mkdef", "-t", "node", "cn3", "groups=all", "cons=ipmi");
        site.Run("mkdef", "-t", "node", "cn4", "groups=linux", "cons=ipmi");

        var result = site.Run("lsdef", "-t", "node", "-s", "-w", condition);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Concat(expected.Split(',').Select(n => $"{n}  (node)\n")), result.Output);
    }

    [Fact]
    public void Several_w_conditions_must_all_hold()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1,cn2", "groups=linux", "cons=ipmi");
        site.Run("chdef", "-t", "node", "cn2", "os=rhels8");

        var result = site.Run("lsdef", "-s", "-w", "cons==ipmi", "-w", "os==rhels8");

        Assert.Equal("cn2  (node)\n", result.Output);
    }

    [Theory]
    [InlineData("cons", "Incorrect selection string specified with -w flag: 'cons'")]
    [InlineData("cons=", "Incorrect selection string specified with -w flag: 'cons='")]
    [InlineData("==ipmi", "Incorrect selection string specified with -w flag: '==ipmi'")]
    [InlineData("cons=~(ip", "Incorrect selection string specified with -w flag: 'cons=~(ip': '(ip' is not a regular expression")]
    [InlineData("colour==blue", "'colour' is not a valid attribute name for an object type of 'node'.")]
    public void A_w_expression_that_does_not_parse_is_named_and_lists_nothing(string condition, string message)
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all", "cons=ipmi");

        var result = site.Run("lsdef", "-w", condition);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: " + message, result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Lsdef_of_a_list_with_a_missing_name_lists_the_others_and_fails_naming_the_missing_one()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "A", "imagetype=linux", "profile=compute");

        var result = site.Run("lsdef", "-t", "osimage", "A,missing");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Object name: A\n    imagetype=linux\n    profile=compute\n", result.Output);
        Assert.Equal("Error: Could not find an object named 'missing' of type 'osimage'.\n", result.Error);
    }

    [Fact]
    public void Lsdef_a_and_type_lists_name_each_objects_type()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "img", "imagetype=linux");
        site.Run("mkdef", "-t", "node", "cn1", "groups=compute");

        var all = site.Run("lsdef", "-a");
        var listed = site.Run("lsdef", "-t", "osimage,group", "-l");

        // xCAT's -a listing has one space before the type; the long form of several types names each object's type.
        Assert.Equal("compute (group)\ncn1 (node)\nimg (osimage)\nclustersite (site)\n", all.Output);
        Assert.Equal("Object name: img  (osimage)\n    imagetype=linux\nObject name: compute  (group)\n    grouptype=static\n    members=cn1\n", listed.Output);
        Assert.Equal("Error: The flags '-a' and '-t' cannot be used together.\n", site.Run("lsdef", "-a", "-t", "node").Error.Split("Usage")[0]);
    }

    [Fact]
    public void Lsdef_a_l_z_piped_into_mkdef_z_f_reproduces_every_definition_in_a_fresh_site()
    {
        // Given a site with images (one with a linuximage row, quotes and commas), nodes inheriting from groups, a
        // group attribute, and site keys of its own
        using var source = new TempSite();
        source.Run("chdef", "-t", "site", "master=10.0.0.1", "domain=cluster.example", "installdir=/data/install");
        source.Run("mkdef", "-t", "osimage", "rh8", "imagetype=linux", "profile=compute", "provmethod=netboot",
            "rootimgdir=/data/install/netboot/rh8", "addkcmdline=console=ttyS0 quiet \"x=1,2\"", "usercomment=the image");
        source.Run("mkdef", "-t", "osimage", "aix", "imagetype=NIM", "description=an AIX image");
        source.Run("mkdef", "-t", "node", "cn[1-3]", "groups=compute,all", "os=rhels8", "postscripts=own");
        source.Run("mkdef", "-t", "node", "login1", "groups=login,all", "mac=aa:bb:cc:dd:ee:ff");
        source.Run("chdef", "-t", "group", "compute", "arch=x86_64", "postbootscripts=late");
        var stanza = source.Run("lsdef", "-a", "-l", "-z");
        Assert.Equal(0, stanza.ExitCode);

        // When it is fed to mkdef -z -f in a directory that holds no site yet
        using var scratch = new TempSite();
        var target = Path.Combine(scratch.Scratch, "fresh");
        var made = Testing.Cli.RunWithInput(null, stanza.Output, "--site", target, "mkdef", "-z", "-f");

        // Then the site is created and lists every definition exactly as the source does; the tables hold the same
        // rows (in the stanza's order, which is by name)
        Assert.True(made.ExitCode == 0, made.Error);
        Assert.Equal($"Created the site {target}.\n10 object definitions have been created or modified.\n", made.Output);
        Assert.Equal(stanza.Output, Testing.Cli.Run("--site", target, "lsdef", "-a", "-l", "-z").Output);
        Assert.Equal(source.Run("lsdef", "-a", "-l").Output, Testing.Cli.Run("--site", target, "lsdef", "-a", "-l").Output);
        foreach (var table in new[] { "osimage", "linuximage", "site", "nodelist" })
        {
            Assert.Equal(
                source.Run("tabdump", table).Output.Split('\n').Order(StringComparer.Ordinal),
                Testing.Cli.Run("--site", target, "tabdump", table).Output.Split('\n').Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Chdef_z_changes_and_creates_the_objects_of_a_stanza()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "img", "imagetype=linux", "profile=compute");

        var result = site.RunWithInput(
            "img:\n    objtype=osimage\n    profile=service\n\nnewimg:\n  objtype = osimage\n  imagetype = \"linux\"\n",
            "chdef", "-z");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("2 object definitions have been created or modified.\nNew object definitions 'newimg' have been created.\n", result.Output);
        Assert.Equal("Object name: img\n    imagetype=linux\n    profile=service\n", site.Run("lsdef", "-t", "osimage", "img").Output);
        Assert.Equal("Object name: newimg\n    groups=all\n    imagetype=linux\n", site.Run("lsdef", "-t", "osimage", "newimg").Output);
    }

    public static TheoryData<string, string> BadStanzas => new()
    {
        { "good:\n    objtype=osimage\n    imagetype=linux\n\nimg:\n    objtype=osimage\n    colour=blue\n", "Error: Stanza line 7: 'colour' is not a valid attribute name for an object type of 'osimage'." },
        { "img:\n    objtype=osimage\n    profile compute\n", "Error: Stanza line 3: 'profile compute' is neither an object header ('NAME:') nor an 'attr=value' line." },
        { "    profile=compute\nimg:\n    objtype=osimage\n", "Error: Stanza line 1: 'profile=compute' comes before the first object header ('NAME:')." },
        { "img:\n    profile=compute\n", "Error: Stanza line 1: No objtype value was specified for 'img'. Cannot create object definition." },
        { "img:\n    objtype=gizmo\n", "Error: Stanza line 1: Type 'gizmo' is not a valid xCAT object type." },
        { "img:\n    objtype=osimage\n\n\nimg:\n    objtype=osimage\n", "Error: Stanza line 5: the object 'img' was already defined on line 1." },
        { "a=b:\n    objtype=osimage\n", "Error: Stanza line 1: 'a=b:' is not an object header ('NAME:')." },
        { "# nothing here\n", "Error: The stanza input defines no objects." },
    };

    [Theory]
    [MemberData(nameof(BadStanzas))]
    public void A_bad_stanza_names_its_line_and_changes_nothing(string stanza, string message)
    {
        // Given a site, and a stanza with a mistake (after a sound object, in the first case)
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1", "groups=all");
        var before = SiteSnapshot.Take(site);

        var result = site.RunWithInput(stanza, "mkdef", "-z");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Chdef_n_renames_an_image_with_its_linuximage_and_litefile_rows()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "old", "imagetype=linux", "profile=compute", "pkglist=/install/p");
        site.SetRows(s => s.Set(XcatSchema.LiteFile, ["old", "/etc/hosts"], new Dictionary<string, string?> { ["options"] = "rw" }));

        var result = site.Run("chdef", "-t", "osimage", "old", "-n", "new");

        Assert.Equal((0, "Changed the object name from old to new.\n"), (result.ExitCode, result.Output));
        Assert.Equal("Object name: new\n    imagetype=linux\n    pkglist=/install/p\n    profile=compute\n", site.Run("lsdef", "-t", "osimage", "new").Output);
        Assert.Equal("#imagename,groups,profile,imagetype,description,provmethod,rootfstype,osdistroname,osupdatename,cfmdir,osname,osvers,osarch,synclists,postscripts,postbootscripts,serverrole,isdeletable,kitcomponents,environvar,comments,disable\n\"new\",,\"compute\",\"linux\",,,,,,,,,,,,,,,,,,\n", site.Run("tabdump", "osimage").Output);
        Assert.Equal("#image,file,options,comments,disable\n\"new\",\"/etc/hosts\",\"rw\",,\n", site.Run("tabdump", "litefile").Output);
    }

    [Fact]
    public void Chdef_n_renames_a_group_in_its_members_lists()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "node", "cn1,cn2", "groups=compute,all");
        site.Run("chdef", "-t", "group", "compute", "arch=x86_64");

        var result = site.Run("chdef", "-t", "group", "-o", "compute", "-n", "workers");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Object name: cn1\n    arch=x86_64\n    groups=workers,all\n    postbootscripts=otherpkgs\n    postscripts=syslog,remoteshell,syncfiles\n", site.Run("lsdef", "cn1").Output);
        Assert.Equal("all  (group)\nworkers  (group)\n", site.Run("lsdef", "-t", "group").Output);
    }

    [Theory]
    [InlineData(new[] { "chdef", "-t", "osimage", "ghost", "-n", "x" }, "Error: The ghost is not a valid object.")]
    [InlineData(new[] { "chdef", "-t", "osimage", "a", "-n", "b" }, "Error: Object b already exists.")]
    [InlineData(new[] { "chdef", "-t", "osimage", "a,b", "-n", "c" }, "Error: The '-n' option (changing object name) can only work on one object.")]
    [InlineData(new[] { "chdef", "-t", "osimage", "a", "-n", "x/y" }, "Error: The new object name 'x/y' contains '/'.")]
    [InlineData(new[] { "chdef", "-t", "osimage", "a", "-n", "c", "profile=x" }, "Error: Cannot combine '-n' with attr=val pairs")]
    [InlineData(new[] { "chdef", "-t", "osimage", "a", "-p", "-n", "c" }, "Error: Cannot combine '-n' and '-d','-p','-m','-z','-w' options.")]
    public void Chdef_n_refuses_what_it_cannot_rename_and_changes_nothing(string[] command, string message)
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "a,b", "imagetype=linux");
        var before = SiteSnapshot.Take(site);

        var result = site.Run(command);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void Rmdef_a_needs_f_and_then_removes_every_definition_but_the_site()
    {
        using var site = new TempSite();
        site.Run("mkdef", "-t", "osimage", "img", "imagetype=linux");
        site.Run("mkdef", "-t", "node", "cn[1-2]", "groups=compute");
        var before = SiteSnapshot.Take(site);

        var refused = site.Run("rmdef", "-a");
        before.AssertUnchanged(SiteSnapshot.Take(site));
        var removed = site.Run("rmdef", "-a", "-f");

        Assert.Equal(1, refused.ExitCode);
        Assert.StartsWith("Error: You must use the '-f' option when using the '-a' option.\nUsage: rmdef", refused.Error, StringComparison.Ordinal);
        Assert.Equal((0, "4 object definitions have been removed.\n"), (removed.ExitCode, removed.Output));
        Assert.Equal("clustersite (site)\n", site.Run("lsdef", "-a").Output);
        Assert.Equal("#node,groups,status,statustime,appstatus,appstatustime,primarysn,hidden,updatestatus,updatestatustime,zonename,comments,disable\n", site.Run("tabdump", "nodelist").Output);
    }
}
