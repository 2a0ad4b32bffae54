using Npgsql;
using XcatImageBuild.Tables;

namespace XcatImageBuild.Testing;

/// <summary>
/// The PostgreSQL server the tests use, started by <c>.ci/postgres start</c>: <c>XCATIMG_TEST_PG</c> holds a cfgloc
/// line for its administrator. Each test site gets a database of its own, dropped with the site.
/// </summary>
public static class TestPostgres
{
    /// <summary>The variable holding the administrator's cfgloc line.</summary>
    public const string ServerVariable = "XCATIMG_TEST_PG";

    /// <summary>Set to <c>postgres</c>, every <see cref="TempSite"/> keeps its tables in PostgreSQL.</summary>
    public const string BackendVariable = "XCATIMG_TEST_TABLES";

    /// <summary>The administrator's line, or null when no server was started.</summary>
    public static Cfgloc? Server =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } line ? Cfgloc.Parse(line, "$" + ServerVariable) : null;

    /// <summary>Whether the default test site is a PostgreSQL one.</summary>
    public static bool IsDefault => Environment.GetEnvironmentVariable(BackendVariable) == "postgres";

    /// <summary>The server, or a failure saying how to start one (integration tests run, never skip, under CI).</summary>
    public static Cfgloc Required => Server
        ?? throw new InvalidOperationException($"No PostgreSQL server for the tests: run `eval \"$(.ci/postgres start)\"` to start one and set {ServerVariable}.");

    /// <summary>Creates an empty database and returns the cfgloc line that names it.</summary>
    public static Cfgloc CreateDatabase()
    {
        var server = Required;
        var name = "xcatimg_" + Guid.NewGuid().ToString("N");
        using var connection = Admin(server);
        using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        command.ExecuteNonQuery();
        return server with { Database = name, Source = "the test cfgloc" };
    }

    /// <summary>Drops a database made by <see cref="CreateDatabase"/>, closing whatever still uses it.</summary>
    public static void DropDatabase(Cfgloc database)
    {
        ArgumentNullException.ThrowIfNull(database);
        NpgsqlConnection.ClearAllPools();
        using var connection = Admin(Required);
        using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database.Database}\" WITH (FORCE)", connection);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one SQL statement in a database and returns the first column of every row.</summary>
    public static List<string> Query(Cfgloc database, string sql)
    {
        ArgumentNullException.ThrowIfNull(database);
        using var connection = Admin(database);
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var result = new List<string>();
        while (reader.Read())
        {
            result.Add(reader.IsDBNull(0) ? string.Empty : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return result;
    }

    private static NpgsqlConnection Admin(Cfgloc line)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = line.Host,
            Port = line.Port,
            Database = line.Database,
            Username = line.User,
            Password = line.Password,
            Pooling = false,
        }.ConnectionString);
        connection.Open();
        return connection;
    }
}
