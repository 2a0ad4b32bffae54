using System.Globalization;

namespace XcatImageBuild.Testing;

/// <summary>What the benchmark programs share: their command-line options and the statistics they print.</summary>
public static class Benchmarking
{
    /// <summary>The value after <paramref name="name"/> on the command line, or null when it is not given.</summary>
    public static string? Argument(IReadOnlyList<string> args, string name)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    /// <summary>The middle value (the upper one of an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    /// <summary>Seconds from a time as bash's <c>times</c> prints it: <c>1m2.345s</c>.</summary>
    public static double BashSeconds(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var minutes = value.IndexOf('m', StringComparison.Ordinal);
        return (int.Parse(value[..minutes], CultureInfo.InvariantCulture) * 60) + double.Parse(value[(minutes + 1)..^1], CultureInfo.InvariantCulture);
    }
}
