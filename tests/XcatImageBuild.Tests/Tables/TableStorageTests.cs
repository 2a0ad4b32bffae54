using Microsoft.Data.Sqlite;
using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.Tests.Tables;

/// <summary>
/// Where the tables live and how they change as a whole: the move from the single-file form, the table file swap,
/// tabrestore, a bad cfgloc, and a session's held-back reads and writes — on real SQLite files, and on the real
/// PostgreSQL server when the suite runs against it.
/// </summary>
public sealed class TableStorageTests
{
    [Fact]
    public void An_old_single_file_site_is_moved_into_one_file_per_table_on_first_open_with_a_message()
    {
        // Given a site whose tables are all in the old single file, one row in each
        using var site = new BareSite();
        var legacy = site.WriteLegacyFile(XcatSchema.All.ToDictionary(t => t, t => (IReadOnlyList<TableRow>)[RowOf(t, "moved-" + t.Name)]));

        // When a command opens it
        var result = site.Run("tabdump", "osimage");

        // Then every row arrived, the old file is gone, and the move was reported
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"moved-osimage\"", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Warning: Moved the tables of {legacy} into ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(legacy));
        foreach (var table in XcatSchema.All)
        {
            Assert.Equal(TabDump.Format(table, [RowOf(table, "moved-" + table.Name)]), site.Run("tabdump", table.Name).Output);
        }

        if (site.Postgres is null)
        {
            Assert.All(XcatSchema.All, t => Assert.True(File.Exists(site.Map($"/etc/xcat/{t.Name}.sqlite")), t.Name));
        }
    }

    [Fact]
    public void A_move_from_the_single_file_that_fails_on_a_later_table_moves_nothing()
    {
        // Given an old single file whose last table holds a key no xCAT table can hold
        using var site = new BareSite();
        var tables = XcatSchema.All.ToDictionary(t => t, t => (IReadOnlyList<TableRow>)[RowOf(t, "moved-" + t.Name)]);
        var last = XcatSchema.All[^1];
        tables[last] = [RowOf(last, new string('k', 129))];
        var legacy = site.WriteLegacyFile(tables);

        // When a command opens it
        var result = site.Run("tabdump", "osimage");

        // Then it fails naming the key, the old file is still there, and no table took a row from it
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"is 129 characters long; the {last.Name} table holds keys of at most 128.", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(legacy));
        File.Move(legacy, legacy + ".aside");
        foreach (var table in XcatSchema.All.Where(t => t != XcatSchema.Site && t != XcatSchema.Postscripts))
        {
            Assert.Equal(TabDump.Format(table, []), site.Run("tabdump", table.Name).Output);
        }

        Assert.DoesNotContain("moved-site", site.Run("tabdump", "site").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_file_swap_interrupted_before_it_was_decided_is_dropped_and_the_tables_stay_as_they_were()
    {
        // Given a site with an osimage row, and a swap that staged a new osimage file but was never decided
        using var files = new BareSite(postgres: false);
        Assert.Equal(0, files.Run("mkdef", "-t", "osimage", "-o", "old-image", "imagetype=linux").ExitCode);
        var before = files.Run("tabdump", "osimage").Output;
        var staging = files.Map("/etc/xcat/xcatimg-swap");
        Directory.CreateDirectory(staging);
        SqliteTables.WriteFile(Path.Combine(staging, "osimage.sqlite"), XcatSchema.OsImage, [RowOf(XcatSchema.OsImage, "new-image")]);

        // When the site is opened again
        var after = files.Run("tabdump", "osimage");

        // Then the staged file was dropped and the table is unchanged
        Assert.Equal(before, after.Output);
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void A_table_file_swap_interrupted_after_it_was_decided_is_finished_on_the_next_open()
    {
        // Given a decided swap of two tables that had moved one file into place when it stopped
        using var files = new BareSite(postgres: false);
        Assert.Equal(0, files.Run("mkdef", "-t", "osimage", "-o", "old-image", "imagetype=linux").ExitCode);
        var staging = files.Map("/etc/xcat/xcatimg-swap");
        Directory.CreateDirectory(staging);
        SqliteTables.WriteFile(Path.Combine(staging, "osimage.sqlite"), XcatSchema.OsImage, [RowOf(XcatSchema.OsImage, "new-image")]);
        SqliteTables.WriteFile(files.Map("/etc/xcat/linuximage.sqlite"), XcatSchema.LinuxImage, [RowOf(XcatSchema.LinuxImage, "new-image")]);
        File.Delete(files.Map("/etc/xcat/linuximage.sqlite") + "-journal");
        File.WriteAllBytes(Path.Combine(staging, "decided"), []);

        // When the site is opened again
        var osimage = files.Run("tabdump", "osimage");

        // Then both tables hold the new rows and the staging directory is gone
        Assert.Equal(TabDump.Format(XcatSchema.OsImage, [RowOf(XcatSchema.OsImage, "new-image")]), osimage.Output);
        Assert.Equal(TabDump.Format(XcatSchema.LinuxImage, [RowOf(XcatSchema.LinuxImage, "new-image")]), files.Run("tabdump", "linuximage").Output);
        Assert.False(Directory.Exists(staging));
    }

    [Fact]
    public void A_swap_of_every_table_lands_in_all_of_them()
    {
        // Given every table's dump with one new row each
        using var site = new TempSite();
        var dumps = Path.Combine(site.Scratch, "dumps");
        Directory.CreateDirectory(dumps);
        foreach (var table in XcatSchema.All)
        {
            File.WriteAllText(Path.Combine(dumps, table.Name + ".csv"), TabDump.Format(table, [RowOf(table, "restored-" + table.Name)]));
        }

        // When they are restored
        var result = site.Run("restorexCATdb", "-p", dumps);

        // Then every table holds exactly its new row, and no staging is left
        Assert.Equal(0, result.ExitCode);
        foreach (var table in XcatSchema.All)
        {
            Assert.Equal(TabDump.Format(table, [RowOf(table, "restored-" + table.Name)]), site.Run("tabdump", table.Name).Output);
        }

        Assert.False(Directory.Exists(site.Map("/etc/xcat/xcatimg-swap")));
    }

    [Theory]
    [InlineData("\"b\",\"linux\"\n", "line 3: 2 fields, but the header names")]
    [InlineData("\"b\",\"linux\"x\n", "line 3: a quoted value must be followed by ',' or the end of the line.")]
    public void Tabrestore_with_a_bad_line_names_it_and_leaves_the_table_unchanged(string badLine, string message)
    {
        // Given an osimage table with rows, and a dump whose third line is bad
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "kept1,kept2", "imagetype=linux", "profile=compute").ExitCode);
        var before = site.Run("tabdump", "osimage").Output;
        var header = "#" + string.Join(',', XcatSchema.OsImage.Columns);
        var good = TabDump.Format(XcatSchema.OsImage, [RowOf(XcatSchema.OsImage, "a")]).Split('\n')[1];
        var file = Path.Combine(site.Scratch, "osimage.csv");
        File.WriteAllText(file, $"{header}\n{good}\n{badLine}{good.Replace("\"a\"", "\"c\"", StringComparison.Ordinal)}\n");

        // When it is restored
        var result = site.Run("tabrestore", file);

        // Then the error names the file and the line, and the table is as it was
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: {file} {message}", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, site.Run("tabdump", "osimage").Output);
    }

    [Fact]
    public void Tabrestore_with_a_key_too_long_on_its_last_line_leaves_the_table_unchanged()
    {
        using var site = new TempSite();
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "kept", "imagetype=linux").ExitCode);
        var before = site.Run("tabdump", "osimage").Output;
        var file = Path.Combine(site.Scratch, "osimage.csv");
        File.WriteAllText(file, TabDump.Format(XcatSchema.OsImage, [RowOf(XcatSchema.OsImage, "a"), RowOf(XcatSchema.OsImage, "b"), RowOf(XcatSchema.OsImage, new string('x', 129))]));

        var result = site.Run("tabrestore", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is 129 characters long; the osimage table holds keys of at most 128.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, site.Run("tabdump", "osimage").Output);
    }

    [Theory]
    [InlineData("Pg:dbname=xcatdb;host=10.0.0.1|xcatadm", "'Pg:dbname=xcatdb;host=10.0.0.1|xcatadm' has 2 '|'-separated parts, not 3")]
    [InlineData("mysql:dbname=xcatdb;host=10.0.0.1|xcatadm|cluster", "the engine 'mysql' is not Pg")]
    [InlineData("Pg:dbname=xcatdb|xcatadm|cluster", "it names no host")]
    [InlineData("Pg:dbname=xcatdb;host=10.0.0.1;port=99999|xcatadm|cluster", "the port '99999' is not a number from 1 to 65535")]
    public void A_malformed_cfgloc_is_named_with_its_path_and_nothing_falls_back_to_sqlite(string line, string reason)
    {
        // Given a site whose cfgloc is malformed
        using var site = new BareSite(postgres: false);
        var cfgloc = site.Map("/etc/xcat/cfgloc");
        File.WriteAllText(cfgloc, line + "\n");

        // When a table is read
        var result = site.Run("tabdump", "site");

        // Then the error names the cfgloc and what is wrong, and no SQLite table file appeared
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: The database line in {cfgloc} is malformed: {reason}", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(site.Map("/etc/xcat"), "*.sqlite"));
    }

    [Fact]
    public void An_unreachable_postgresql_host_is_named_with_the_cfgloc_and_nothing_falls_back_to_sqlite()
    {
        // Given a site whose cfgloc names a port on this host where nothing listens
        using var site = new BareSite(postgres: false);
        var cfgloc = site.Map("/etc/xcat/cfgloc");
        File.WriteAllText(cfgloc, "Pg:dbname=xcatdb;host=127.0.0.1;port=1|xcatadm|cluster\n");

        // When a definition is made
        var result = site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux");

        // Then the error names the server and the cfgloc, and no SQLite table file appeared
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot reach the PostgreSQL server 127.0.0.1:1 named in {cfgloc}: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(site.Map("/etc/xcat"), "*.sqlite"));
    }

    [Fact]
    public void A_session_answers_from_its_own_held_back_changes_and_leaves_rows_in_statement_order()
    {
        // Given nodes written in one order
        using var site = new TempSite();
        var nodes = Enumerable.Range(1, 3 * TableSession.PointReads).Select(i => $"n{i}").ToList();
        site.Site.Database.Write(s =>
        {
            foreach (var node in nodes)
            {
                s.Set(XcatSchema.NodeList, [node], new Dictionary<string, string?> { ["groups"] = "all" });
            }

            return 0;
        });

        // When one transaction reads a few rows one by one, changes some, reads more than enough to read the table
        // whole, deletes one and adds it back, deletes another, and reads what it changed
        var seen = site.Site.Database.Write(s =>
        {
            var answers = new List<string?>();
            answers.Add(s.Find(XcatSchema.NodeList, "n1")?["groups"]);
            s.Set(XcatSchema.NodeList, ["n1"], new Dictionary<string, string?> { ["groups"] = "changed" });
            answers.Add(s.Find(XcatSchema.NodeList, "n1")?["groups"]);
            foreach (var node in nodes)
            {
                answers.Add(s.Find(XcatSchema.NodeList, node) is null ? "missing" : null);
            }

            s.Delete(XcatSchema.NodeList, "n2");
            answers.Add(s.Find(XcatSchema.NodeList, "n2") is null ? "n2 gone" : "n2 still there");
            s.Set(XcatSchema.NodeList, ["n2"], new Dictionary<string, string?> { ["status"] = "back" });
            s.Set(XcatSchema.NodeList, ["n2"], new Dictionary<string, string?> { ["groups"] = "again" });
            answers.Add(s.Delete(XcatSchema.NodeList, "n3") ? "n3 deleted" : "n3 absent");
            answers.Add(s.Delete(XcatSchema.NodeList, "n3") ? "n3 deleted" : "n3 absent");
            s.Set(XcatSchema.NodeList, ["new"], new Dictionary<string, string?>());
            answers.Add(string.Join(' ', s.ReadAll(XcatSchema.NodeList).Select(r => r["node"])));
            answers.Add(string.Join(' ', s.Where(XcatSchema.NodeList, "groups", "again").Select(r => r["node"] + ":" + r["status"])));
            return answers.Where(a => a is not null).ToList();
        });

        // Then each read saw the changes before it, and the rows are where the statements one by one leave them
        var order = string.Join(' ', nodes.Where(n => n is not "n2" and not "n3").Append("n2").Append("new"));
        Assert.Equal(["all", "changed", "n2 gone", "n3 deleted", "n3 absent", order, "n2:back"], seen);
        var dump = site.Run("tabdump", "nodelist").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0].Trim('"'));
        Assert.Equal(order, string.Join(' ', dump));
        Assert.Contains("\"n2\",\"again\",\"back\"", site.Run("tabdump", "nodelist").Output, StringComparison.Ordinal);
    }

    /// <summary>A row keyed by <paramref name="key"/> in every key column, with a value in each other column.</summary>
    private static TableRow RowOf(TableSchema table, string key) =>
        new(table, [.. table.Columns.Select(c => table.Keys.Contains(c) ? key : c == "disable" ? null : $"{c} of {key}")]);

    /// <summary>
    /// A site directory with nothing opened in it yet (<see cref="TempSite"/> opens its site at once): its tables are
    /// SQLite files, or, when the suite runs against PostgreSQL and <c>postgres</c> allows it, a fresh database named
    /// in its cfgloc.
    /// </summary>
    private sealed class BareSite : IDisposable
    {
        public BareSite(bool postgres = true)
        {
            Directory = System.IO.Directory.CreateTempSubdirectory("xcatimg-test-").FullName;
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, "etc/xcat"));
            if (postgres && TestPostgres.IsDefault)
            {
                Postgres = TestPostgres.CreateDatabase();
                File.WriteAllText(Path.Combine(Directory, "etc/xcat/cfgloc"), Postgres.Line + "\n");
            }
        }

        public string Directory { get; }

        public Cfgloc? Postgres { get; }

        public string Map(string logicalPath) => Path.Combine(Directory, logicalPath.TrimStart('/'));

        public CliResult Run(params string[] args) => Testing.Cli.Run(["--site", Directory, .. args]);

        /// <summary>Writes the single file this product kept every table in, with these rows.</summary>
        public string WriteLegacyFile(IReadOnlyDictionary<TableSchema, IReadOnlyList<TableRow>> tables)
        {
            var path = Map("/etc/xcat/" + XcatDatabase.LegacyFileName);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
            connection.Open();
            foreach (var (table, rows) in tables)
            {
                using var create = connection.CreateCommand();
                create.CommandText = TableBackend.CreateStatement(TableBackend.Quote(table.Name), table);
                create.ExecuteNonQuery();
                foreach (var row in rows)
                {
                    using var insert = connection.CreateCommand();
                    insert.CommandText = $"INSERT INTO {TableBackend.Quote(table.Name)} VALUES ({string.Join(", ", table.Columns.Select((_, i) => "$v" + i))})";
                    for (var i = 0; i < table.Columns.Count; i++)
                    {
                        insert.Parameters.AddWithValue("$v" + i, (object?)row.Values[i] ?? DBNull.Value);
                    }

                    insert.ExecuteNonQuery();
                }
            }

            return path;
        }

        public void Dispose()
        {
            if (Postgres is not null)
            {
                TestPostgres.DropDatabase(Postgres);
            }

            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
