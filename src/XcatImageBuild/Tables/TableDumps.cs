namespace XcatImageBuild.Tables;

/// <summary>
/// xCAT's <c>dumpxCATdb -p DIR</c>, <c>restorexCATdb -p DIR</c> and <c>tabrestore FILE</c>: every table as
/// <c>DIR/&lt;table&gt;.csv</c> in tabdump's format, and back. They move a site between SQLite and PostgreSQL.
/// Each is all or nothing.
/// </summary>
public static class TableDumps
{
    /// <summary>Writes one CSV per table into <paramref name="directory"/> (created if missing); returns the files written.</summary>
    /// <exception cref="XcatException">The directory cannot be written; no CSV file is left half-written.</exception>
    public static IReadOnlyList<string> Dump(XcatDatabase database, string directory)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var dumps = XcatSchema.All.Select(t => (Table: t, Text: TabDump.Format(t, database.ReadAll(t)))).ToList();
        var written = new List<string>();
        var temporaries = new List<string>();
        try
        {
            Directory.CreateDirectory(directory);
            foreach (var (table, text) in dumps)
            {
                var temporary = Path.Combine(directory, $".{table.Name}.csv.{Environment.ProcessId}");
                temporaries.Add(temporary);
                File.WriteAllText(temporary, text);
            }

            foreach (var (table, _) in dumps)
            {
                var path = Path.Combine(directory, table.Name + ".csv");
                File.Move(Path.Combine(directory, $".{table.Name}.csv.{Environment.ProcessId}"), path, overwrite: true);
                written.Add(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var temporary in temporaries)
            {
                File.Delete(temporary);
            }

            throw new XcatException($"Cannot write the table dumps into {directory}: {e.Message}", 1, null, e);
        }

        return written;
    }

    /// <summary>
    /// Replaces every table that has a <c>&lt;table&gt;.csv</c> in <paramref name="directory"/> with its rows, all
    /// tables at once; returns the tables restored.
    /// </summary>
    /// <exception cref="XcatException">The directory holds no table dumps, or one is malformed; then no table changed.</exception>
    public static IReadOnlyList<string> Restore(XcatDatabase database, string directory)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new XcatException($"The directory {directory} does not exist.");
        }

        var tables = new Dictionary<TableSchema, IReadOnlyList<TableRow>>();
        foreach (var table in XcatSchema.All)
        {
            var path = Path.Combine(directory, table.Name + ".csv");
            if (File.Exists(path))
            {
                tables[table] = TabDump.Parse(table, ReadText(path), path);
            }
        }

        if (tables.Count == 0)
        {
            throw new XcatException($"The directory {directory} holds no table dumps (<table>.csv, as dumpxCATdb -p writes them).");
        }

        database.ReplaceAll(tables);
        return [.. tables.Keys.Select(t => t.Name)];
    }

    /// <summary>xCAT's tabrestore: replaces the table the file is named after (<c>osimage.csv</c> → osimage) with its rows.</summary>
    /// <exception cref="XcatException">No such file or table, or a malformed dump; then the table is unchanged.</exception>
    public static TableSchema RestoreTable(XcatDatabase database, string file)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(file);
        var name = Path.GetFileName(file);
        name = name.EndsWith(".csv", StringComparison.Ordinal) ? name[..^4] : name;
        var table = XcatSchema.All.FirstOrDefault(t => t.Name == name)
            ?? throw new XcatException($"{file}: tabrestore takes the table from the file's name, and '{name}' is not a table. Known tables: {string.Join(", ", XcatSchema.All.Select(t => t.Name))}.");
        var rows = TabDump.Parse(table, ReadText(file), file);
        database.ReplaceAll(new Dictionary<TableSchema, IReadOnlyList<TableRow>> { [table] = rows });
        return table;
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new XcatException($"Cannot read {path}: {e.Message}", 1, null, e);
        }
    }
}
