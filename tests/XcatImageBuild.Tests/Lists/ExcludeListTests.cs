using XcatImageBuild.Lists;

namespace XcatImageBuild.Tests.Lists;

public sealed class ExcludeListTests
{
    [Theory]
    [InlineData("./usr/share/man*", "./usr/share/man", true)]
    [InlineData("./usr/share/man*", "./usr/share/man/man1/ls.1.gz", true)]
    [InlineData("./usr/share/doc*", "./usr/share/doc/bash/copyright", true)]
    [InlineData("./usr/share/doc*", "./usr/share/docs-not", true)]
    [InlineData("./usr/share/doc*", "./usr/share/do", false)]
    [InlineData("./usr/lib/locale*", "./usr/lib/locale/C.utf8/LC_CTYPE", true)]
    [InlineData("./boot*", "./var/boot", false)]
    [InlineData("./usr/lib/firmware/*.bin", "./usr/lib/firmware/a/b.bin", true)]
    [InlineData("./var/log/?.log", "./var/log/a.log", true)]
    [InlineData("./var/log/?.log", "./var/log/ab.log", false)]
    [InlineData("./lib/modules/[0-9]*", "./lib/modules/6.1.0", true)]
    [InlineData("./lib/modules/[!0-9]*", "./lib/modules/6.1.0", false)]
    [InlineData("./a\\*b", "./a*b", true)]
    [InlineData("./a\\*b", "./axb", false)]
    [InlineData("*.pyc", "./usr/lib/python3/x.pyc", true)]
    public void Patterns_match_as_find_path_does_with_star_crossing_slashes(string pattern, string path, bool expected)
    {
        // Given a find -path pattern, When it is matched against a ./relative path, Then '*' also spans '/'.
        Assert.Equal(expected, new PathGlob(pattern).IsMatch(path));
    }

    [Fact]
    public void Comments_blank_lines_minus_and_plus_lines_are_read_as_xcat_reads_them()
    {
        // Given the shape of xCAT's shipped compute.exlist with an include line and comments
        var text = """
            # from compute.rhels8.x86_64.exlist
            ./usr/share/man*
            -./usr/share/doc*   # docs are large
            ./usr/share/locale*

            +./usr/share/locale/C*
            ./var/cache/yum*#no space before the hash
            """;

        // When it is parsed
        var list = ExcludeList.Parse(text);

        // Then '#' strips to the end of the line, '-' is optional and '+' includes
        Assert.Equal(["./usr/share/man*", "./usr/share/doc*", "./usr/share/locale*", "./var/cache/yum*"], list.Excludes);
        Assert.Equal(["./usr/share/locale/C*"], list.Includes);
        Assert.False(list.Selects("./usr/share/man/man1"));
        Assert.False(list.Selects("./usr/share/locale/de/LC_MESSAGES"));
        Assert.True(list.Selects("./usr/share/locale/C.utf8"));
        Assert.True(list.Selects("./usr/bin/ls"));
    }

    [Fact]
    public void Includes_are_expanded_recursively_relative_to_the_list_directory_without_blank_lines()
    {
        // Given a list that includes a relative file, which includes another
        var dir = Directory.CreateTempSubdirectory("exlist-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "common.exlist"), "./usr/share/man*\n\n\n#INCLUDE:more.exlist#\n");
            File.WriteAllText(Path.Combine(dir, "more.exlist"), "\n+./usr/share/man/man8*\n\n");
            File.WriteAllText(Path.Combine(dir, "compute.exlist"), "./boot*\n#INCLUDE:common.exlist#\n./opt*\n");

            // When the top-level list is loaded
            var list = ExcludeList.Load(Path.Combine(dir, "compute.exlist"));

            // Then the included lines take the include's place, in order
            Assert.Equal(["./boot*", "./usr/share/man*", "./opt*"], list.Excludes);
            Assert.Equal(["./usr/share/man/man8*"], list.Includes);
            Assert.Empty(list.Warnings);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_unreadable_include_is_dropped_as_xcat_does_and_reported_as_a_warning()
    {
        // Given a list that includes a file that does not exist
        var list = ExcludeList.Parse("./boot*\n#INCLUDE:/nonexistent/missing.exlist#\n./opt*\n", "/nonexistent");

        // Then the rest of the list stands and the dropped include is named
        Assert.Equal(["./boot*", "./opt*"], list.Excludes);
        Assert.Contains(list.Warnings, w => w.Contains("/nonexistent/missing.exlist", StringComparison.Ordinal));
    }

    [Fact]
    public void A_relative_include_in_text_from_no_file_is_dropped_with_a_warning_instead_of_read_from_the_working_directory()
    {
        // Given list text that names its include relative to a directory it does not have
        var list = ExcludeList.Parse("./boot*\n#INCLUDE:base.exlist#\n");

        // Then the include is not looked for anywhere, and the warning says why
        Assert.Equal(["./boot*"], list.Excludes);
        Assert.Equal(["#INCLUDE:base.exlist# is relative, and the list is in no directory to find it from; ignored."], list.Warnings);
    }

    [Fact]
    public void A_missing_exlist_is_an_error_naming_it()
    {
        var error = Assert.Throws<XcatException>(() => ExcludeList.Load("/nonexistent/compute.exlist"));

        Assert.Contains("/nonexistent/compute.exlist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_include_loop_stops_with_a_warning()
    {
        var dir = Directory.CreateTempSubdirectory("exlist-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "a.exlist"), "./a*\n#INCLUDE:a.exlist#\n");

            var list = ExcludeList.Load(Path.Combine(dir, "a.exlist"));

            Assert.Contains(list.Warnings, w => w.Contains("loop", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_timezone_is_re_included_with_the_file_its_link_points_to()
    {
        // Given an image whose zone file is a relative symbolic link, and an exlist that drops zoneinfo
        var root = Directory.CreateTempSubdirectory("rootimg-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "usr/share/zoneinfo/America"));
            File.WriteAllText(Path.Combine(root, "usr/share/zoneinfo/America/New_York"), "TZif");
            Directory.CreateDirectory(Path.Combine(root, "usr/share/zoneinfo/US"));
            File.CreateSymbolicLink(Path.Combine(root, "usr/share/zoneinfo/US/Eastern"), "../America/New_York");

            // When the timezone re-includes are added
            var list = ExcludeList.Parse("./usr/share/zoneinfo*\n").WithTimezone("US/Eastern", root);

            // Then both the link and its target stay in the image
            Assert.Equal(["./usr/share/zoneinfo/US/Eastern", "./usr/share/zoneinfo/America/New_York"], list.Includes);
            Assert.True(list.Selects("./usr/share/zoneinfo/America/New_York"));
            Assert.False(list.Selects("./usr/share/zoneinfo/Europe/Paris"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void The_statelite_paths_are_the_five_xcat_always_excludes()
    {
        var list = ExcludeList.Empty.WithExcludes(ExcludeList.StateliteExcludes);

        Assert.False(list.Selects("./.statelite/litefile.save"));
        Assert.False(list.Selects("./.default/etc/hosts"));
        Assert.False(list.Selects("./.statebackup"));
        Assert.False(list.Selects("./etc/init.d/statelite"));
        Assert.False(list.Selects("./etc/rc.sysinit.backup"));
        Assert.True(list.Selects("./etc/init.d/ssh"));
    }
}
