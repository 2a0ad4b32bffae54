using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Definitions;

/// <summary>Each bad command names what was wrong, exits non-zero and leaves every table and the database file as they were.</summary>
public sealed class BadInputTests
{
    public static TheoryData<string[], string> BadCommands => new()
    {
        { ["tabdump", "nosuchtable"], "Error: Table 'nosuchtable' does not exist." },
        { ["lsdef", "-t", "nosuchtype"], "Error: Type 'nosuchtype' is not a valid xCAT object type." },
        { ["mkdef", "-t", "osimage", "-o", "img", "profile=compute", "colour=blue"], "Error: 'colour' is not a valid attribute name for an object type of 'osimage'." },
        { ["chdef", "-t", "osimage", "existing", "kernel=5.14", "profile=x"], "Error: 'kernel' is not a valid attribute name for an object type of 'osimage'." },
        { ["chdef", "-t", "node", "cn1", "imagetype=linux"], "Error: 'imagetype' is not a valid attribute name for an object type of 'node'." },
        { ["mkdef", "-t", "osimage", "profile=compute"], "Error: No object names were provided." },
        { ["chdef", "-t", "osimage", "profile=compute"], "Error: No object names were provided." },
        { ["rmdef", "-t", "osimage"], "Error: No object names were provided." },
        { ["mkdef", "-t", "osimage", "a", "b", "profile=compute"], "Error: noderange can not contain spaces." },
        { ["mkdef", "-t", "osimage", "img", "=compute"], "Error: Incorrect 'attr=val' pair - =compute." },
        { ["mkdef", "-t", "node", "cn[01-03", "groups=all"], "Error: Malformed noderange 'cn[01-03': a '[' is not closed." },
        { ["chdef", "-t", "node", "cn[a-b]", "groups=all"], "Error: Malformed noderange 'cn[a-b]':" },
        { ["rmdef", "-t", "node", "cn1,,cn2"], "Error: Malformed noderange 'cn1,,cn2': it has an empty item between commas." },
        { ["rmdef", "-t", "site"], "Error: The site definition 'clustersite' cannot be removed" },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public void A_bad_command_names_the_problem_fails_and_changes_nothing(string[] command, string message)
    {
        // Given a site with one image and one node
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "existing", "imagetype=linux", "profile=compute").ExitCode);
        Assert.Equal(0, site.Run("mkdef", "-t", "node", "cn1", "groups=all").ExitCode);
        var before = SiteSnapshot.Take(site);

        // When the bad command runs
        var result = site.Run(command);

        // Then it says what was wrong, fails, and no table or byte of the database changed
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        before.AssertUnchanged(SiteSnapshot.Take(site));
    }

    [Fact]
    public void A_table_file_that_is_not_a_database_is_named_and_left_as_it_was()
    {
        // Given a site whose osimage table file is not a database
        using var site = new TempSite(postgres: false);
        var path = site.Map("/etc/xcat/osimage.sqlite");
        var garbage = "this is not an SQLite database, just some text that happens to be here\n"u8.ToArray();
        File.WriteAllBytes(path, garbage);
        var others = Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal).ToList();

        // When a definition is made and a table is read
        var make = site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux");
        var dump = site.Run("tabdump", "osimage");

        // Then both fail naming the file, and the file is untouched with nothing left beside it
        foreach (var result in new[] { make, dump })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"Error: The table file {path} is not an SQLite database", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        }

        Assert.Equal(garbage, File.ReadAllBytes(path));
        Assert.Equal(others, Directory.GetFileSystemEntries(Path.GetDirectoryName(path)!).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void An_unreadable_table_file_path_is_named()
    {
        // Given a site whose osimage table file is a directory (root can read any file, so a mode would not stop it)
        using var site = new TempSite(postgres: false);
        var path = site.Map("/etc/xcat/osimage.sqlite");
        File.Delete(path);
        Directory.CreateDirectory(path);

        var result = site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: Cannot open the table file {path}: ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(path));
    }
}
