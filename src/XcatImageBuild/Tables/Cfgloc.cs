using System.Globalization;

namespace XcatImageBuild.Tables;

/// <summary>
/// xCAT's database line, from <c>/etc/xcat/cfgloc</c> or the <c>XCATCFG</c> variable:
/// <c>Pg:dbname=xcatdb;host=10.0.0.1[;port=5432]|xcatadm|cluster</c> (pgsqlsetup's createcfgloc; xcat-spec §13).
/// The DSN part is read as DBD::Pg reads it: <c>;</c>-separated <c>key=value</c> pairs.
/// </summary>
public sealed record Cfgloc(string Host, int Port, string Database, string User, string Password, string Source)
{
    /// <summary>The environment variable xCAT reads before the cfgloc file.</summary>
    public const string EnvironmentVariable = "XCATCFG";

    private const string Form = "Pg:dbname=NAME;host=HOST[;port=N]|USER|PASSWORD";

    /// <summary>Reads a database line; <paramref name="source"/> names where it came from in every message.</summary>
    /// <exception cref="XcatException">The line is not a PostgreSQL line in xCAT's form.</exception>
    public static Cfgloc Parse(string line, string source)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentException.ThrowIfNullOrEmpty(source);
        line = line.Split('\n')[0].TrimEnd('\r');
        XcatException Malformed(string why) =>
            new($"The database line in {source} is malformed: {why}. xCAT's form is {Form}.");

        var parts = line.Split('|');
        if (parts.Length != 3)
        {
            throw Malformed($"'{line}' has {parts.Length} '|'-separated parts, not 3");
        }

        var dsn = parts[0];
        if (dsn.StartsWith("dbi:", StringComparison.Ordinal))
        {
            dsn = dsn[4..];
        }

        if (!dsn.StartsWith("Pg:", StringComparison.Ordinal))
        {
            var engine = dsn.Split(':')[0];
            throw Malformed($"the engine '{engine}' is not Pg (PostgreSQL is the server engine this product reads)");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in dsn[3..].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Malformed($"'{pair}' is not key=value");
            }

            var key = pair[..equals].Trim();
            // DBD::Pg takes database and db as names for dbname.
            key = key is "database" or "db" ? "dbname" : key;
            if (key is not ("dbname" or "host" or "port"))
            {
                throw Malformed($"'{key}' is not one of dbname, host, port");
            }

            fields[key] = pair[(equals + 1)..].Trim();
        }

        if (!fields.TryGetValue("dbname", out var database) || database.Length == 0)
        {
            throw Malformed("it names no dbname");
        }

        if (!fields.TryGetValue("host", out var host) || host.Length == 0)
        {
            throw Malformed("it names no host");
        }

        var port = 5432;
        if (fields.TryGetValue("port", out var portText)
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw Malformed($"the port '{portText}' is not a number from 1 to 65535");
        }

        if (parts[1].Length == 0)
        {
            throw Malformed("it names no user");
        }

        return new Cfgloc(host, port, database, parts[1], parts[2], source);
    }

    /// <summary>The line in xCAT's form (what pgsqlsetup writes).</summary>
    public string Line => Port == 5432
        ? $"Pg:dbname={Database};host={Host}|{User}|{Password}"
        : $"Pg:dbname={Database};host={Host};port={Port.ToString(CultureInfo.InvariantCulture)}|{User}|{Password}";

    /// <summary>Never prints the password.</summary>
    public override string ToString() => $"{User}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}/{Database} (from {Source})";
}
