using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>
/// What mkdef, chdef, lsdef and rmdef share: <c>-t</c>, <c>-o</c>, the operands, the verb's usage, and printing the
/// result. An operand that looks like a flag is an unknown flag, refused with the usage, never an object name.
/// </summary>
internal sealed class DefinitionVerb
{
    private readonly CliContext _context;

    public DefinitionVerb(CliContext context, string name, string description, string usage)
    {
        _context = context;
        Usage = usage;
        Type = new Option<string?>("-t") { Description = $"The object type: {string.Join(", ", ObjectDefinitions.TypeNames)} (default node).", HelpName = "TYPE" };
        Objects = new Option<string?>("-o") { Description = "The object names: a comma list, or a noderange for nodes.", HelpName = "NAMES" };
        Operands = new Argument<string[]>("operands")
        {
            Description = "The object names (a noderange for nodes) followed by attr=value pairs.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        Command = new Command(name, description) { Type, Objects, Operands };
        context.SetUsage(Command, usage);
    }

    public Command Command { get; }

    public Option<string?> Type { get; }

    public Option<string?> Objects { get; }

    public Argument<string[]> Operands { get; }

    /// <summary>The verb's usage, printed after an error in how it was called.</summary>
    public string Usage { get; }

    /// <summary>The usage error: <paramref name="message"/>, then this verb's usage.</summary>
    public UsageException Refuse(string message) => new(message, Usage);

    /// <summary>
    /// Runs the verb's work on the parsed operands in the site (created first when <paramref name="createSite"/>)
    /// and prints the lines it returns on stdout and its errors on stderr; any error makes the exit code 1.
    /// </summary>
    public void SetAction(bool createSite, Func<ParseResult, ObjectDefinitions, DefinitionOperands, DefinitionListing> work)
    {
        Command.SetAction(parse => _context.Execute(() =>
        {
            var operands = ParseOperands(parse);
            var site = createSite ? _context.OpenOrCreateSite(parse) : _context.OpenSite(parse);
            var result = work(parse, new ObjectDefinitions(site.Database), operands);
            foreach (var line in result.Lines)
            {
                _context.Output.WriteLine(line);
            }

            foreach (var error in result.Errors)
            {
                _context.Error.WriteLine($"Error: {error}");
            }

            return result.Errors.Count > 0 ? 1 : 0;
        }));
    }

    /// <summary>Lines to print, no errors.</summary>
    public static DefinitionListing Printed(IReadOnlyList<string> lines) => new(lines, []);

    private DefinitionOperands ParseOperands(ParseResult parse)
    {
        var given = parse.GetValue(Operands) ?? [];

        // xCAT's rmdef refuses '-d' and friends rather than take them as names ("rmdef -t node -d" would otherwise
        // remove a node named -d); here every verb refuses every flag it does not know.
        foreach (var operand in given)
        {
            if (operand.Length > 1 && operand[0] == '-' && !operand.Contains('=', StringComparison.Ordinal))
            {
                throw Refuse($"Invalid option '{operand}' for {Command.Name}.");
            }
        }

        var objects = parse.GetValue(Objects);
        var operands = DefinitionOperands.Parse(objects, given);
        if (!string.IsNullOrEmpty(objects) && given.Any(o => !o.Contains('=', StringComparison.Ordinal)))
        {
            throw Refuse($"Give the object names either with -o or as an operand, not both ('{objects}' and '{given.First(o => !o.Contains('=', StringComparison.Ordinal))}').");
        }

        return operands;
    }
}
