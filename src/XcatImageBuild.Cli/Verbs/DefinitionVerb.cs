using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>What mkdef, chdef, lsdef and rmdef share: <c>-t</c>, <c>-o</c>, the operands, and printing the result.</summary>
internal sealed class DefinitionVerb
{
    private readonly CliContext _context;

    public DefinitionVerb(CliContext context, string name, string description)
    {
        _context = context;
        Type = new Option<string?>("-t") { Description = $"The object type: {string.Join(", ", ObjectDefinitions.TypeNames)} (default node).", HelpName = "TYPE" };
        Objects = new Option<string?>("-o") { Description = "The object names: a comma list, or a noderange for nodes.", HelpName = "NAMES" };
        Operands = new Argument<string[]>("operands")
        {
            Description = "The object names (a noderange for nodes) followed by attr=value pairs.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        Command = new Command(name, description) { Type, Objects, Operands };
    }

    public Command Command { get; }

    public Option<string?> Type { get; }

    public Option<string?> Objects { get; }

    public Argument<string[]> Operands { get; }

    /// <summary>Runs the verb's work on the parsed operands and prints the lines it returns.</summary>
    public void SetAction(Func<ParseResult, ObjectDefinitions, DefinitionOperands, IReadOnlyList<string>> work)
    {
        Command.SetAction(parse => _context.Execute(() =>
        {
            var operands = DefinitionOperands.Parse(parse.GetValue(Objects), parse.GetValue(Operands) ?? []);
            var site = _context.OpenSite(parse);
            foreach (var line in work(parse, new ObjectDefinitions(site.Database), operands))
            {
                _context.Output.WriteLine(line);
            }

            return 0;
        }));
    }
}
