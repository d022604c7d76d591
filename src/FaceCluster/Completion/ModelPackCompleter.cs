using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FaceCluster.Completion;

/// <summary>Tab completion for <c>-Model</c>: the model packs that build.ps1 laid out next to the module.</summary>
public sealed class ModelPackCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        IEnumerable<(string Name, string Description)> packs;
        try
        {
            packs = ModelPacks.Describe();
        }
        catch (Exception)
        {
            // Completion must never throw at the console; a broken install is reported when a cmdlet runs.
            yield break;
        }

        string prefix = wordToComplete.Trim('\'', '"');
        foreach (var (name, description) in packs)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, description);
            }
        }
    }
}
