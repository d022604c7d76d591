using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Language;
using FaceCluster.Engine.People;

namespace FaceCluster.Completion;

/// <summary>Tab completion for a person's <c>-Id</c> (and <c>-Into</c>): the people in the export's faces.json, with their names.</summary>
public sealed class PersonIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName,
        string parameterName,
        string wordToComplete,
        CommandAst commandAst,
        IDictionary fakeBoundParameters)
    {
        IReadOnlyList<(int Id, string? Name)> people;
        try
        {
            bool literal = fakeBoundParameters.Contains("LiteralPath");
            string? folder = (fakeBoundParameters["LiteralPath"] ?? fakeBoundParameters["Path"])?.ToString();
            if (folder is null)
            {
                yield break;
            }

            // A nested pipeline on the console's runspace resolves the path against its current location.
            using var shell = System.Management.Automation.PowerShell.Create(RunspaceMode.CurrentRunspace);
            folder = shell.AddCommand("Convert-Path").AddParameter(literal ? "LiteralPath" : "Path", folder).Invoke<string>().FirstOrDefault();
            if (folder is null)
            {
                yield break;
            }

            people = CorrectionBook.ReadPeople(folder);
        }
        catch (Exception)
        {
            // Completion must never throw at the console.
            yield break;
        }

        foreach (var (id, name) in people)
        {
            string text = id.ToString(CultureInfo.InvariantCulture);
            if (text.StartsWith(wordToComplete, StringComparison.Ordinal))
            {
                string tip = name is null ? FaceCluster.Model.FaceGroup.ClusterLabel(id) : name;
                yield return new CompletionResult(text, $"{text} {tip}", CompletionResultType.ParameterValue, tip);
            }
        }
    }
}
