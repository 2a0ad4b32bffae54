using XcatImageBuild.Tables;
using XcatImageBuild.Testing;

namespace XcatImageBuild.IntegrationTests.Tables;

/// <summary>Against the real PostgreSQL server .ci/postgres starts (XCATIMG_TEST_PG); these fail, never skip, without it.</summary>
public sealed class PostgresTablesTests
{
    // What an administrator runs on a new site: definitions, changes, removals, a restore of one table.
    private static readonly string[][] Session =
    [
        ["mkdef", "-t", "osimage", "-o", "rocky9-x86_64-netboot-compute", "imagetype=linux", "provmethod=netboot", "profile=compute", "osvers=rocky9.4", "osarch=x86_64", "rootimgdir=/install/netboot/rocky9.4/x86_64/compute"],
        ["mkdef", "-t", "osimage", "-o", "aix71", "imagetype=NIM", "profile=compute"],
        ["mkdef", "-t", "node", "cn[1-12]", "groups=compute,all"],
        ["chdef", "-t", "node", "cn5", "groups=gpu,all", "usercomment=rack \"B\", slot 5"],
        ["chdef", "-t", "osimage", "-o", "rocky9-x86_64-netboot-compute", "pkglist=/install/custom/netboot/rocky/compute.pkglist"],
        ["mkdef", "-t", "group", "-o", "rack1", "members=cn1,cn2"],
        ["rmdef", "-t", "node", "cn3"],
        ["mkdef", "-t", "node", "cn3", "groups=compute"],
        ["chdef", "-t", "osimage", "-o", "aix71", "description=two\nlines"],
    ];

    [Fact]
    public void The_same_command_lines_print_byte_identical_tabdump_and_lsdef_on_sqlite_and_postgresql()
    {
        // Given one site on SQLite files and one on PostgreSQL
        using var files = new TempSite(postgres: false);
        using var server = new TempSite(postgres: true);

        // When the same administrator session runs on both
        foreach (var command in Session)
        {
            var a = files.Run(command);
            var b = server.Run(command);
            Assert.True(a.ExitCode == 0, $"{string.Join(' ', command)}: {a.Error}");
            Assert.Equal((a.ExitCode, a.Output, a.Error), (b.ExitCode, b.Output, b.Error));
        }

        // Then every table dump and every listing is the same, byte for byte
        var probes = XcatSchema.All.Select(t => new[] { "tabdump", t.Name })
            .Concat([["lsdef", "-l", "-t", "node"], ["lsdef", "-t", "osimage", "-l"], ["lsdef", "-t", "group", "-l"], ["lsdef", "-t", "site", "-l"], ["lsdef", "-t", "node"]]);
        foreach (var probe in probes)
        {
            var a = files.Run(probe);
            var b = server.Run(probe);
            Assert.Equal(0, a.ExitCode);
            Assert.Equal(a.Output, b.Output);
        }

        Assert.Contains("\"cn5\",\"gpu,all\"", files.Run("tabdump", "nodelist").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgresql_tables_have_xcats_layout()
    {
        // Given a site on PostgreSQL
        using var site = new TempSite(postgres: true);

        // When the server's catalogue is read
        var osimage = TestPostgres.Query(site.Postgres!, "SELECT column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') FROM information_schema.columns WHERE table_name = 'osimage' ORDER BY ordinal_position");
        var litefileKey = TestPostgres.Query(site.Postgres!, "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'litefile'::regclass AND i.indisprimary ORDER BY a.attnum");
        var tables = TestPostgres.Query(site.Postgres!, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");

        // Then keys are VARCHAR(128), other columns TEXT in xCAT's order, keys composite where xCAT's are
        Assert.Equal("imagename character varying(128)", osimage[0]);
        Assert.Equal("groups text", osimage[1]);
        Assert.Equal("osupdatename character varying(1024)", osimage[XcatSchema.OsImage.IndexOf("osupdatename")]);
        Assert.Equal(XcatSchema.OsImage.Columns, osimage.Select(c => c.Split(' ')[0]).ToList());
        Assert.Equal(["image", "file"], litefileKey);
        Assert.Subset(tables.ToHashSet(), XcatSchema.All.Select(t => t.Name).ToHashSet());
        Assert.Equal("disable text", TestPostgres.Query(site.Postgres!, "SELECT column_name || ' ' || data_type FROM information_schema.columns WHERE table_name = 'site' AND column_name = 'disable'").Single());
    }

    [Fact]
    public void A_key_longer_than_128_characters_is_refused_with_the_same_message_on_both_backends()
    {
        using var files = new TempSite(postgres: false);
        using var server = new TempSite(postgres: true);
        var name = new string('a', 129);

        var a = files.Run("mkdef", "-t", "osimage", "-o", name, "imagetype=linux");
        var b = server.Run("mkdef", "-t", "osimage", "-o", name, "imagetype=linux");

        Assert.Equal(1, a.ExitCode);
        Assert.Equal(a.Error, b.Error);
        Assert.Contains($"Error: The imagename '{name}' is 129 characters long; the osimage table holds keys of at most 128.", a.Error, StringComparison.Ordinal);
        Assert.Equal(files.Run("tabdump", "osimage").Output, server.Run("tabdump", "osimage").Output);
        Assert.Equal(0, files.Run("mkdef", "-t", "osimage", "-o", new string('a', 128), "imagetype=linux").ExitCode);
        Assert.Equal(0, server.Run("mkdef", "-t", "osimage", "-o", new string('a', 128), "imagetype=linux").ExitCode);
    }

    [Fact]
    public void An_unreachable_server_is_named_with_its_cfgloc_and_nothing_falls_back_to_sqlite()
    {
        // Given a site whose cfgloc names a port nothing listens on
        using var scratch = new TempSite(postgres: false);
        var site = Path.Combine(scratch.Scratch, "site");
        var cfgloc = Path.Combine(site, "etc/xcat/cfgloc");
        Directory.CreateDirectory(Path.GetDirectoryName(cfgloc)!);
        File.WriteAllText(cfgloc, "Pg:dbname=xcatdb;host=127.0.0.1;port=1|xcatadm|cluster\n");

        // When a table is read
        var result = XcatImageBuild.Testing.Cli.Run(["--site", site, "tabdump", "site"]);

        // Then the error names the server and the cfgloc, and no SQLite table file appeared
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot reach the PostgreSQL server 127.0.0.1:1 named in {cfgloc}: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(cfgloc)!, "*.sqlite"));
    }

    [Fact]
    public void A_wrong_password_is_named_with_the_server_and_the_cfgloc()
    {
        using var site = new TempSite(postgres: true);
        var cfgloc = site.Map("/etc/xcat/cfgloc");
        File.WriteAllText(cfgloc, (site.Postgres! with { Password = "wrong" }).Line + "\n");

        var result = site.Run("tabdump", "site");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: The PostgreSQL server {site.Postgres!.Host}:{site.Postgres.Port} (database {site.Postgres.Database}, user {site.Postgres.User}, from {cfgloc}) refused: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void DumpxCATdb_on_sqlite_and_restorexCATdb_on_postgresql_move_every_table()
    {
        // Given a SQLite site after an administrator session
        using var files = new TempSite(postgres: false);
        foreach (var command in Session)
        {
            var result = files.Run(command);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', command)}: {result.Error}");
        }

        var dumps = Path.Combine(files.Scratch, "xcat-dbback");

        // When it is dumped and the dump restored into a PostgreSQL site
        using var server = new TempSite(postgres: true);
        var dump = files.Run("dumpxCATdb", "-p", dumps);
        Assert.True(dump.ExitCode == 0, dump.Error);
        var restore = server.Run("restorexCATdb", "-p", dumps);

        // Then the PostgreSQL site prints every table as the SQLite one
        Assert.True(restore.ExitCode == 0, restore.Error);
        foreach (var table in XcatSchema.All)
        {
            Assert.Equal(files.Run("tabdump", table.Name).Output, server.Run("tabdump", table.Name).Output);
        }

        Assert.Equal(files.Run("lsdef", "-l", "-t", "node").Output, server.Run("lsdef", "-l", "-t", "node").Output);
    }

    [Fact]
    public void A_restore_with_one_malformed_table_changes_no_table_on_postgresql()
    {
        using var site = new TempSite(postgres: true);
        Assert.Equal(0, site.Run("mkdef", "-t", "osimage", "-o", "img", "imagetype=linux").ExitCode);
        var dumps = Path.Combine(site.Scratch, "dumps");
        Assert.Equal(0, site.Run("dumpxCATdb", "-p", dumps).ExitCode);
        var before = XcatSchema.All.Select(t => site.Run("tabdump", t.Name).Output).ToList();
        File.WriteAllText(Path.Combine(dumps, "osimage.csv"), "#imagename,groups\n\"other\",\n");
        File.WriteAllText(Path.Combine(dumps, "nodelist.csv"), "#node,groups\n\"cn1\",\"all\n");

        var result = site.Run("restorexCATdb", "-p", dumps);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Error: {Path.Combine(dumps, "nodelist.csv")} line 2: a quoted value is not closed.", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, XcatSchema.All.Select(t => site.Run("tabdump", t.Name).Output).ToList());
    }
}
