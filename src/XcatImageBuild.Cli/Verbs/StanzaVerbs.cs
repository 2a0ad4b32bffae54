using System.CommandLine;
using XcatImageBuild.Definitions;

namespace XcatImageBuild.Cli.Verbs;

/// <summary>What mkdef -z and chdef -z share: the objects, their types and attributes all come from the stanza.</summary>
internal static class StanzaVerbs
{
    /// <summary>Refuses what xCAT refuses beside <c>-z</c>: a type, object names, or attr=val pairs on the command line.</summary>
    public static void CheckStanzaCommandLine(DefinitionVerb verb, ParseResult parse, DefinitionOperands operands)
    {
        if (parse.GetValue(verb.Type) is not null)
        {
            throw verb.Refuse("Cannot combine '-t' and '-a', '-z', or '-x' options.");
        }

        if (!string.IsNullOrEmpty(operands.ObjectNames))
        {
            throw verb.Refuse($"Cannot use '-z' with '-o' or a noderange.\nExample of -z usage:\n\t'cat stanzafile | {verb.Command.Name} -z'");
        }

        if (operands.Attributes.Count > 0)
        {
            throw verb.Refuse($"Cannot use '-z' with attr=val pairs on the command line ({string.Join(' ', operands.Attributes.Select(a => a.Key + "=" + a.Value))}); put them in the stanza file.");
        }
    }
}
