using System.Management.Automation;
using FaceCluster.Engine.People;

namespace FaceCluster.Commands;

/// <summary>
/// <para type="synopsis">Takes back corrections listed by Get-FaceClusterCorrection; the next Invoke-FaceCluster -Previous run no longer applies them.</para>
/// </summary>
[Cmdlet(VerbsCommon.Undo, "FaceClusterCorrection", DefaultParameterSetName = LiteralPathParameterSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FaceClusterCorrection))]
public sealed class UndoFaceClusterCorrectionCommand : PersonCorrectionCommand
{
    /// <summary>The correction to take back (from Get-FaceClusterCorrection); its Export names the folder.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public FaceClusterCorrection InputObject { get; set; } = null!;

    protected override (IEnumerable<object> Made, string Action) Correct(CorrectionBook book)
    {
        book.Undo(InputObject.Entry);
        return ([InputObject], $"Take back the {InputObject}");
    }
}
