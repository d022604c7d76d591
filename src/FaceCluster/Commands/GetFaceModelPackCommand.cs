using System.Management.Automation;
using FaceCluster.Completion;
using FaceCluster.Engine.Models;
using FaceCluster.Model;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Lists the model packs: the built-in ones and those installed with Install-FaceModelPack.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "FaceModelPack")]
[OutputType(typeof(FaceModelPack))]
public sealed class GetFaceModelPackCommand : PSCmdlet
{
    [Parameter(Position = 0)]
    [ArgumentCompleter(typeof(ModelPackCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        IReadOnlyList<ModelPack> builtIn;
        try
        {
            builtIn = ModelPacks.BuiltIn.Packs;
        }
        catch (ModelCatalogException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelCatalogInvalid", ErrorCategory.InvalidData, ex.FilePath));
            return;
        }
        catch (ModelFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ModelFileInvalid", ErrorCategory.ResourceUnavailable, ex.FilePath));
            return;
        }

        var installed = ModelPacks.Installed.Packs(out var broken);
        foreach (var problem in broken)
        {
            WriteError(ModelPackErrors.Of(problem));
        }

        var patterns = (Name ?? ["*"]).Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToArray();
        foreach (var pack in builtIn.Concat(installed).Where(p => patterns.Any(w => w.IsMatch(p.Name))))
        {
            WriteObject(ModelPacks.Describe(pack));
        }
    }
}
